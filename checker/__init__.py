"""gov-portal-checker: task lists as rules, a polite crawler, an HTML scorecard.

Stages (see docs/architecture.md): crawl/ → site/ (snapshot) → engine/ → report/.
"""

__version__ = "0.1.0"
TOOL_NAME = "gov-portal-checker"
