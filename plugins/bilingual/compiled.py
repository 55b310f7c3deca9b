"""Templates compiled once in a process that builds again and again (the preview).

Pelican makes new Jinja environments for every build, and each compiled the
templates it used again: ~0.05 s of every preview rebuild in the build's
process, and again in the processes that render the pages. Jinja can take
compiled templates from a bytecode cache; this one keeps them in memory, by
the template's source (Jinja's checksum: an edited template is compiled
again) and by everything of the environment compiling depends on (its
syntax, its extensions, autoescaping), so environments made differently
never share a compiled template.
"""

from jinja2.bccache import Bucket, BytecodeCache

# What compiling a template depends on, besides its source (Jinja's lexer
# and code generator read these).
COMPILE_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string",
    "variable_end_string", "comment_start_string", "comment_end_string",
    "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "autoescape", "is_async",
    "finalize",
    # (jinja2.ext.i18n makes different code with new-style gettext.)
    "newstyle_gettext",
)


def environment_signature(environment):
    """The environment's compile options and extensions, as a string (this process only:
    a callable option counts by its identity)."""
    options = tuple(repr(getattr(environment, name, None)) for name in COMPILE_OPTIONS)
    policies = sorted((name, repr(value)) for name, value in environment.policies.items())
    return repr((options, policies, sorted(environment.extensions),
                 type(environment).__qualname__))


class CompiledTemplates(BytecodeCache):
    """Compiled templates by environment signature, template and source checksum."""

    def __init__(self):
        self.compiled = {}

    def get_bucket(self, environment, name, filename, source):
        key = repr((environment_signature(environment), name, filename))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        found = self.compiled.get(key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]
        return bucket

    def set_bucket(self, bucket):
        self.compiled[bucket.key] = (bucket.checksum, bucket.code)

    def load_bytecode(self, bucket):  # (buckets are filled by get_bucket)
        pass

    def dump_bytecode(self, bucket):
        pass

    def clear(self):
        self.compiled.clear()


# One for the process: every build's environments use it.
COMPILED = CompiledTemplates()


def share_compiled_templates(generator):
    """``generator_init``: the generator's environment takes templates compiled before."""
    generator.env.bytecode_cache = COMPILED
