"""intl-metrics: the City of Torino's international-affairs agenda as labelled events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load_events"]

if TYPE_CHECKING:
    from intl_metrics.load import load_events


def __getattr__(name: str) -> Any:
    # Lazy so that `import intl_metrics` (the CLI, the parser) does not pull in pandas.
    if name == "load_events":
        from intl_metrics.load import load_events

        return load_events
    raise AttributeError(name)
