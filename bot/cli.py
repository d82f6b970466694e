"""The ``udvej`` command: a thin click layer over the library modules."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional, TextIO

import click

from bot import paths, rasa_runtime

rasa_runtime.prepare_environment()


@click.group()
@click.version_option(package_name="udvej")
def cli() -> None:
    """udvej: an anonymous hotline chatbot against human trafficking."""


@cli.command()
@click.option("--force", is_flag=True, help="Retrain every component, ignoring Rasa's cache.")
def train(force: bool) -> None:
    """Train the model into models/ (reproducible: fixed seeds)."""
    started = time.perf_counter()
    click.echo("Training udvej's model (NLU and dialogue)...", err=True)
    model = rasa_runtime.train(force=force)
    click.echo(f"Model ready: {model} ({time.perf_counter() - started:.1f} s)", err=True)


def _line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


@cli.command()
@click.argument("input_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("output_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--batch-size", default=256, show_default=True, help="Messages per NLU batch.")
def screen(input_file: Optional[Path], output_file: Optional[Path], batch_size: int) -> None:
    """Screen JSONL messages ({"id", "text"} per line) from IN to OUT.

    IN and OUT default to stdin and stdout. A bad line gives an error object
    and the run goes on.
    """
    from bot.screening import Screener
    from nlu.batch import dump, screen_lines

    if input_file is not None and not input_file.exists():
        raise click.BadParameter(f"{input_file} does not exist", param_hint="IN")
    screener = Screener()
    source: TextIO = (input_file.open(encoding="utf-8", errors="replace", newline="")
                      if input_file else click.get_text_stream("stdin", errors="replace"))
    sink: TextIO = output_file.open("w", encoding="utf-8") if output_file else sys.stdout
    lines = iter(source)
    show_progress = input_file is not None and sys.stderr.isatty()
    try:
        if show_progress:
            with click.progressbar(length=_line_count(input_file), file=sys.stderr,
                                   label="screening") as bar:
                for result in screen_lines(lines, screener.screen, batch_size):
                    sink.write(dump(result) + "\n")
                    bar.update(1)
        else:
            for result in screen_lines(lines, screener.screen, batch_size):
                sink.write(dump(result) + "\n")
    finally:
        if input_file:
            source.close()
        if output_file:
            sink.close()


def _describe(result: dict) -> str:
    indicators = ", ".join(
        f"{name} ({' '.join(result['triggers'].get(name, [])) or '-'})" for name in result["indicators"]
    ) or "none"
    lines = [
        f"  language   {result['language'] or 'unknown (too short)'}",
        f"  indicators {indicators}",
        f"  risk       {result['risk']}"
        + (f"  (acute: {' '.join(result['triggers'].get('immediate', []))})" if result["risk"] == "immediate" else ""),
        f"  handoff    {'yes' if result['handoff'] else 'no'}",
        f"  intent     {result['intent']}",
    ]
    return "\n".join(lines)


@cli.command()
def shell() -> None:
    """Type a message in any language; see how it is screened."""
    from bot.screening import Screener

    click.echo("Loading the model...", err=True)
    screener = Screener()
    click.echo("Type a message and press Enter (Ctrl-D to quit).", err=True)
    while True:
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            click.echo("", err=True)
            return
        if text.strip():
            click.echo(_describe(screener.screen([text])[0]))


@cli.command(name="eval")
@click.option("--set", "which", type=click.Choice(["dev", "test"]), default="dev", show_default=True,
              help="dev (data/eval/, used while tuning) or test (data/test/, sealed: report it, never tune on it).")
@click.option("--json-output", is_flag=True, help="Print the figures as JSON.")
def evaluate_command(which: str, json_output: bool) -> None:
    """Screening quality on a held-out set with 95% Wilson intervals, beside a keyword baseline."""
    from bot.screening import Screener
    from nlu import datafiles, evaluation

    folder = paths.EVAL_DATA if which == "dev" else paths.TEST_DATA
    gold = [e for f in sorted(folder.glob("*.jsonl")) for e in datafiles.load_eval_file(f)]
    if not gold:
        raise click.ClickException(f"no {which} set found in {folder}")
    training = [e for f in sorted((paths.PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
                for e in datafiles.load_nlu_file(f)]
    texts = [e.text for e in gold]
    model = evaluation.evaluate_by_language(gold, Screener().screen(texts))
    baseline = evaluation.evaluate_by_language(gold, evaluation.KeywordBaseline(training).predict(texts))
    if json_output:
        click.echo(json.dumps({
            "model": {k: r.as_dict() for k, r in model.items()},
            "baseline": {k: r.as_dict() for k, r in baseline.items()},
        }, indent=2))
        return
    click.echo(evaluation.format_reports(f"udvej screener ({len(gold)} {which} messages)", model))
    click.echo()
    click.echo(evaluation.format_reports("keyword baseline (training-data keywords, lingua)", baseline))


@cli.group()
def bench() -> None:
    """Benchmarks: commands that print figures."""


@bench.command(name="screen")
@click.option("--messages", default=10_000, show_default=True, help="Messages for the throughput run.")
@click.option("--train/--no-train", "with_training", default=True, show_default=True,
              help="Also time a forced full training run.")
def bench_screen(messages: int, with_training: bool) -> None:
    """Latency, throughput, load time, training time and peak RSS of screening."""
    from bot import benchmarks

    benchmarks.screen_benchmark(messages, with_training, click.echo)


@bench.command(name="chat")
@click.option("--seconds", default=120, show_default=True, help="Length of the steady-load run.")
def bench_chat(seconds: int) -> None:
    """Chat latency under load through the fake Bot API and the web chat; Rasa turn cost."""
    from bot import benchmarks

    benchmarks.chat_benchmark(seconds, click.echo)


@cli.command()
@click.option("--port", type=int, default=None, help="Web chat port (default: UDVEJ_PORT or 8080).")
def run(port: Optional[int]) -> None:
    """Run udvej: web chat on localhost, Telegram when TELEGRAM_BOT_TOKEN is set."""
    import asyncio

    from bot import service

    if not paths.model_path().exists():
        click.echo("No model yet: training it first (about two minutes)...", err=True)
        rasa_runtime.train()
    click.echo("Loading the model...", err=True)
    asyncio.run(service.run(service.Settings.from_environment(port), click.echo))


if __name__ == "__main__":
    cli()
