"""Settings of the editor plugin, with their defaults, in one place."""

from bilingual.settings import merge_defaults

DEFAULTS = {
    # Decap CMS's backend record for the editor published with the site
    # (deploy/README.md, "Editing with a git host"): {"name": "github",
    # "repo": "owner/name", "branch": "main"}. None: no editor in the built
    # site. "local": the preview server's own backend (``invoke serve --edit``
    # sets it).
    "EDITOR_BACKEND": None,
    # Draft -> in review -> ready -> published, as merge requests (git hosts only).
    "EDITOR_EDITORIAL_WORKFLOW": True,
    # The editor's own language (its menus and the fields' labels); None: the
    # site's first language.
    "EDITOR_LANGUAGE": None,
    # The content folder as the repository names it (PATH is relative to
    # pelicanconf.py, which sits at the repository's root).
    "PATH_IN_REPOSITORY": "content",
    # Where uploaded photos go, under the content folder (one of STATIC_PATHS).
    "EDITOR_MEDIA_FOLDER": "images",
    # Decap CMS's built files (npm package decap-cms, pinned in package.json).
    "EDITOR_DECAP_DIST": "node_modules/decap-cms/dist",
    # The folder of the editor page in the site.
    "EDITOR_URL": "admin/",
}


def apply_defaults(settings):
    """Add every missing editor setting to ``settings`` (in place)."""
    return merge_defaults(settings, DEFAULTS)
