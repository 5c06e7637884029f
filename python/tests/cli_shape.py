"""The package's analysis in the shape `marginalia analyze --format json` prints,
so that the two can be compared field by field."""


def span(d):
    return None if d is None else {"start": d["start"], "end": d["end"], "text": d["text"]}


def as_cli(analysis_dict):
    """Keeps the fields the CLI's contract has (the package adds roles, via, ...)."""
    d = analysis_dict
    return {
        "date": d["date"],
        "entities": [{k: e[k] for k in ("start", "end", "text", "id", "kind")} for e in d["entities"]],
        "agreements": [{k: e[k] for k in ("start", "end", "text", "id")} for e in d["agreements"]],
        "quotes": [
            {
                "start": q["start"],
                "end": q["end"],
                "text": q["text"],
                "kind": q["kind"],
                "utterance": q["utterance"],
                "speaker": None if q["speaker"] is None else {k: q["speaker"][k] for k in ("start", "end", "text", "id")},
                "cue": span(q["cue"]),
            }
            for q in d["quotes"]
        ],
        "diagnostics": [{k: x[k] for k in ("start", "end", "line", "column", "severity", "code", "message")} for x in d["diagnostics"]],
    }


def cli_report(report):
    """A CLI report without its paths (which depend on the working folder)."""
    out = {k: report[k] for k in ("date", "entities", "agreements", "quotes")}
    out["diagnostics"] = [{k: x[k] for k in ("start", "end", "line", "column", "severity", "code", "message")} for x in report["diagnostics"]]
    return out
