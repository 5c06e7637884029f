#!/usr/bin/env python3
"""Replaces each quote-rule helper in turn with a constant and runs the quote
fixtures (`cargo test --test it quotes::`), expecting them to fail: the proof that
every helper that is no list entry (and so not switched off by
`every_rule_is_proven_by_a_fixture`) has a fixture that needs it.

    scripts/stub_quote_rules.py [CARGO_ARGS...]

Run it in a scratch copy of the repository, or on a clean work tree: each body
is restored after its run (also on Ctrl-C). Each run rebuilds the library, so
it takes a few minutes a helper; it is not part of CI.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUOTES = ROOT / "src/analysis/quotes"

# (file, function, constant body)
HELPERS = [
    ("attribution/cue_rules.rs", "unlisted_verb_after", "None"),
    ("attribution/cue_rules.rs", "colon_introduces", "None"),
    ("attribution/context.rs", "is_short_attribution", "false"),
    ("attribution/cue_rules.rs", "is_passive", "false"),
    ("attribution/cue_rules.rs", "is_aside", "false"),
    ("attribution/subjects.rs", "after_dateline", "0"),
    ("kind.rs", "modifies_its_speaker", "false"),
    ("attribution/cue_rules.rs", "verb_second_subject", "None"),
    ("attribution/inheritance.rs", "reported_speech_speaker", "None"),
]


def stubbed(source: str, name: str, constant: str) -> str:
    """`source` with the body of `fn name` replaced by `constant`."""
    start = source.index(f"fn {name}(")
    depth, i = 0, source.index("(", start)
    # The parameter list, then the body's opening brace.
    while True:
        c = source[i]
        depth += c == "("
        depth -= c == ")"
        i += 1
        if depth == 0:
            break
    open_brace = source.index("{", i)
    depth, j = 0, open_brace
    while True:
        c = source[j]
        depth += c == "{"
        depth -= c == "}"
        j += 1
        if depth == 0:
            break
    return source[: open_brace + 1] + f"\n        #[allow(unused)]\n        let _ = ();\n        {constant}\n    " + source[j - 1 :]


def main() -> int:
    survivors = []
    for file, name, constant in HELPERS:
        path = QUOTES / file
        original = path.read_text()
        try:
            path.write_text(stubbed(original, name, constant))
            run = subprocess.run(
                ["cargo", "test", "--test", "it", "quotes::", *sys.argv[1:]],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        finally:
            path.write_text(original)
        failed = [line.split()[1] for line in run.stdout.splitlines() if line.startswith("test ") and line.endswith("FAILED")]
        if "error[" in run.stdout:
            print(f"{name} = {constant}: does not compile", flush=True)
            survivors.append(name)
        elif failed:
            print(f"{name} = {constant}: {len(failed)} failing: {', '.join(failed)}", flush=True)
        else:
            print(f"{name} = {constant}: every test passes", flush=True)
            survivors.append(name)
    if survivors:
        print(f"not proven: {', '.join(survivors)}")
        return 1
    print("every helper is proven by a fixture")
    return 0


if __name__ == "__main__":
    sys.exit(main())
