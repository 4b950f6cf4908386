"""hrkg: human-rights event knowledge graphs from news articles.

The one-object API is :class:`kg.api.KnowledgeGraph`::

    from kg.api import KnowledgeGraph
    graph = KnowledgeGraph("hrkg-data")
    graph.add(["examples/seed.jsonl"])
    graph.query("person-timeline", person="Ales Byalyatski").to_dataframe()
"""

__version__ = "0.1.0"
