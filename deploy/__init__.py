"""Publishing and serving the built site.

- ``deploy.releases``: deploy a built site as a new release and roll back
  (``invoke publish`` and ``invoke rollback``).
- ``deploy.local_nginx``: serve a built site with the site's nginx rules on
  127.0.0.1 (tests, local trials).

The nginx configuration beside them is described in ``deploy/README.md``.
"""
