"""``articles.anchoring``: the name under which the anchoring API is published.

Tools outside the project (the attribution benchmark, re-anchoring cases kept elsewhere)
import ``plain_text``, ``describe`` and ``reanchor`` from here; the code lives with the rest of
the annotations in ``articles.annotations.anchoring``. Pure Python, no Django.
"""

from articles.annotations.anchoring import *  # noqa: F403
from articles.annotations.anchoring import __all__  # noqa: F401
