"""The demo database: invented cases over several years, whose 2018/19 appendix shows the
published example's figures (docs/demo.md says which differ and why)."""

from cscdesk.demo.build import DemoSummary, create_demo_database

__all__ = ["DemoSummary", "create_demo_database"]
