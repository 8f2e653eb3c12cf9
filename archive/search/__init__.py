"""Full-text search (Whoosh). Placeholder until the search module lands."""


def init_app(app) -> None:
    pass


def sync_pending() -> int:
    return 0
