#!/usr/bin/env python3
"""Generate and validate the brat gold files for the five seed articles.

Usage:
    python3 tests/gold/seeds/make_gold.py            # (re)write *.ann and quotes.tsv, then validate
    python3 tests/gold/seeds/make_gold.py --check    # validate the existing files only

The annotation scheme is PolNeAR's (see ../README.md): every attribution is a brat
*event* whose trigger is an `Attribution` (or `Attribution-no-source`) entity spanning
the cue, with roles `Cue`, `Content` (possibly discontinuous) and, when present,
`Source`. Scare quotes are separate `ScareQuote` entities not linked to any event.
Decisions are kept as `AnnotatorNotes` (#) lines.

Offsets are computed here, never by hand: every span below is given as text (a needle)
searched inside a unique anchor string, and converted to Unicode code point offsets
(end exclusive) into the file decoded as UTF-8. The validator checks every T line
against text[start:end].

This file contains only seed-article text (which is bundled in the repo) and no
PolNeAR text.
"""
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_DIRS = [os.path.normpath(os.path.join(HERE, '..', '..', '..', 'corpus', 'articles')),
             '/work/shared/seeds']

# sha256 of the exact seed files these offsets were computed for
SHA256 = {
    '000_650f7ada08eebc05': '2361a1623c5b27888e86810513fff04a8a060a68ab8c9b871ce33cd3ad7221a4',
    '001_9c85c5a5ec5c4165': 'e259d8628eeedfe0ecb309486884c822c4b1c87174356b7053c5e2dc42123337',
    '002_861de67a3d0b5135': '9abaef72dbe049f16e81aa7301a199117661af428a64016aed4a6cb8ad18e28d',
    '003_06a289d246a3710c': '42d3383587f7f9b6f1b3e65c99882dd42eb44529d2f2d63b0b50fb8e810c5f5a',
    '004_a2fe9243e21dc331': 'eb7b78c261420759a79c1d7df92e00fa9daf657ff39b8986487df94071405b7d',
}

# ---------------------------------------------------------------------------
# Annotation specification.
#   A(anchor, source, cue, content, note=..., share_source=...)
#     anchor  : a string occurring exactly once in the article; all needles are searched in it
#     source  : needle, (needle, k) for the k-th occurrence (0-based) in the anchor, or None
#     cue     : needle or (needle, k)
#     content : list of fragments; a fragment is a needle, (needle, k), or
#               ('..', start_needle, end_needle) = from start_needle through end_needle
#     anchor2 : optional second anchor for fragments outside the first anchor (continuation
#               paragraphs); fragments given as ('@2', fragment) are searched there
#   S(anchor, needle, note)  : a ScareQuote entity
# ---------------------------------------------------------------------------

def A(anchor, source, cue, content, note=None, anchor2=None, source_from=None):
    return dict(kind='A', anchor=anchor, source=source, cue=cue, content=content, note=note,
                anchor2=anchor2, source_from=source_from)


def S(anchor, needle, note):
    return dict(kind='S', anchor=anchor, needle=needle, note=note)


PARTIAL_RED_LINE = ('partial quote, not a scare quote: the quoted words sit inside reported '
                    'speech with an explicit speech verb and speaker, and the phrase is the '
                    "speaker's own wording")

SPEC = {
    '000_650f7ada08eebc05': [
        A('Lavrov warned that NATO enlargement to the East would affect the “fundamental interests” of Russian security',
          'Lavrov', 'warned',
          ['that NATO enlargement to the East would affect the “fundamental interests” of Russian security'],
          note='partial quote inside indirect speech'),
        A('He stressed that although Russia “does not want any conflict” with NATO over Ukraine, it retains “the right to choose the ways to ensure its legitimate security interests”.',
          'He', 'stressed',
          ['that although Russia “does not want any conflict” with NATO over Ukraine, it retains “the right to choose the ways to ensure its legitimate security interests”',
           ('@2', ('..', '“And let us not forget', 'at the expense of the security of others.')),
           ('@2', '“And further NATO progress in the East will definitely affect our core security interests.”')],
          anchor2='“And let us not forget, of course,',
          note=('the next paragraph (“And let us not forget ... “And further ...”) has no cue of its own; '
                'as in PolNeAR (content continuation in its own paragraph) it is annotated as a continuation '
                'of this attribution, speaker He (= Lavrov). Its first opening mark is never closed: the text '
                'reads "others. . “And further" - a reader understands two quoted sentences, the first ending '
                'at "others." (the stray " ." is most likely a garbled closing mark), so two Content fragments.')),
        A('the United States warned again that there would be “serious consequences” if Russia committed to “pursuing a confrontation” with Ukraine',
          'the United States', 'warned',
          ['that there would be “serious consequences” if Russia committed to “pursuing a confrontation” with Ukraine'],
          note='two partial quotes in one indirect statement'),
        A('Blinken told those present at the summit that the United States has “deep concerns about Russia’s plans for a new aggression against Ukraine.”',
          'Blinken', 'told',
          ['that the United States has “deep concerns about Russia’s plans for a new aggression against Ukraine.”']),
        A('This aggression would “push us in exactly the opposite direction,” Blinken said, stressing “it is simply not in anyone’s interest.”',
          'Blinken', 'said',
          ['This aggression would “push us in exactly the opposite direction,”']),
        A('This aggression would “push us in exactly the opposite direction,” Blinken said, stressing “it is simply not in anyone’s interest.”',
          'Blinken', 'stressing',
          ['“it is simply not in anyone’s interest.”'],
          note='shares the Source entity "Blinken" with the preceding "said" attribution (PolNeAR shares Source entities between events)'),
        A('He added that “the best way to avoid the crisis is through diplomacy”',
          'He', 'added',
          ['that “the best way to avoid the crisis is through diplomacy”']),
        A('with Lavrov saying it was “clear” that the US and Russia were interpreting them in “different ways”',
          'Lavrov', 'saying',
          ['it was “clear” that the US and Russia were interpreting them in “different ways”'],
          note='“clear” and “different ways” are partial quotes of Lavrov (explicit speaker and speech verb), not scare quotes'),
        A('Blinken criticized Russia’s adherence to the Helsinki Final Act, a multilateral agreement dating back to 1975, saying the country “continues to violate Helsinki principles and repeatedly obstructs the work of this organization.”',
          'Blinken', 'saying',
          ['the country “continues to violate Helsinki principles and repeatedly obstructs the work of this organization.”']),
        A('with Lavrov acknowledging “the importance of our two states for global stability and security, including in the Euro-Atlantic area”',
          'Lavrov', 'acknowledging',
          ['“the importance of our two states for global stability and security, including in the Euro-Atlantic area”']),
        A('in which the top US diplomat reiterated “Washington’s unwavering commitment to Ukraine’s territorial integrity, sovereignty and independence.”',
          'the top US diplomat', 'reiterated',
          ['“Washington’s unwavering commitment to Ukraine’s territorial integrity, sovereignty and independence.”']),
        A('Putin said NATO military expansion near the Russian border and the deployment of missile systems in Ukraine would cross a “red line” for Russia',
          'Putin', 'said',
          ['NATO military expansion near the Russian border and the deployment of missile systems in Ukraine would cross a “red line” for Russia'],
          note='“red line”: ' + PARTIAL_RED_LINE),
    ],
    '001_9c85c5a5ec5c4165': [
        A('“There is no positive reaction on the main issue in this document,” Sergey Lavrov told reporters in Moscow. “The main issue',
          'Sergey Lavrov', 'told',
          ['“There is no positive reaction on the main issue in this document,”',
           ('@2', ('..', '“The main issue is our clear position', 'the territory of the Russian Federation.”'))],
          anchor2='“The main issue is our clear position'),
        A('Astana Declaration of 2010), our Western partners have to get out from a more serious situation,” Lavrov added. “This principle is expressed explicitly.',
          'Lavrov', 'added',
          [('@2', ('..', '“We present non-verbal promises', 'from a more serious situation,”')),
           ('..', '“This principle is expressed explicitly.', 'without jeopardizing the security of others.”')],
          anchor2='“We present non-verbal promises'),
        A('“In other words, the right to choose alliances is clearly conditioned by the need to take into account the security interests of any other OSCE state, including the Russian Federation,” Lavrov said.',
          'Lavrov', 'said',
          [('..', '“In other words,', 'including the Russian Federation,”')]),
        A('“There is a reaction there that allows us to count on the beginning of a serious conversation, but on secondary topics,” he added.',
          'he', 'added',
          ['“There is a reaction there that allows us to count on the beginning of a serious conversation, but on secondary topics,”']),
        A('He stated, “The President already read the written responses,” “The President has all of the paperwork. We’ll take our time analyzing them and won’t jump to any conclusions.”',
          'He', 'stated',
          ['“The President already read the written responses,”',
           '“The President has all of the paperwork. We’ll take our time analyzing them and won’t jump to any conclusions.”'],
          note='two adjacent quoted segments after one cue; the cue excludes the comma (PolNeAR punctuation rule)'),
    ],
    '002_861de67a3d0b5135': [
        A('U.S. President Joe Biden warned Russian President Vladimir Putin at a conference earlier this month that Russia will face “serious consequences” if it attacks Ukraine.',
          'U.S. President Joe Biden', 'warned',
          ['that Russia will face “serious consequences” if it attacks Ukraine'],
          note='partial quote; the recipient (Russian President Vladimir Putin) is not part of the content'),
        A('Putin has denied plans to launch an attack, but described NATO’s expansion into Ukraine and the deployment of alliance weapons there as a “red line”.',
          'Putin', 'described',
          ['NATO’s expansion into Ukraine and the deployment of alliance weapons there as a “red line”'],
          note='“red line”: ' + PARTIAL_RED_LINE + ' ("described ... as")'),
        A('“We don’t want a war,” Lavrov said Wednesday. “We do not want to take the path of confrontation, but we will ensure our security with the means we deem necessary.”',
          'Lavrov', 'said',
          ['“We don’t want a war,”',
           '“We do not want to take the path of confrontation, but we will ensure our security with the means we deem necessary.”']),
        A('Lavrov praised Washington’s “business” approach',
          'Lavrov', 'praised',
          ['Washington’s “business” approach'],
          note=('“business”: judged a partial quote of Lavrov, not a scare quote: the one-word quote is '
                "Lavrov's own characterisation (\"businesslike\") reported with a speech-act verb (praised) "
                'and an explicit speaker. Borderline case.')),
        A('“I hope they take us seriously considering the moves we make to ensure our ability to defend,” he said.',
          'he', 'said',
          ['“I hope they take us seriously considering the moves we make to ensure our ability to defend,”']),
        A('Kremlin spokesman Dmitry Peskov also praised the speedy agreement on the start of talks, but said they should be “focused on achieving concrete results and not prolonging them”.',
          'Kremlin spokesman Dmitry Peskov', 'said',
          ['they should be “focused on achieving concrete results and not prolonging them”']),
        A('“We want these conversations,” he told reporters. “And certainly the talks are held to discuss the positions of others.”',
          'he', 'told',
          ['“We want these conversations,”',
           '“And certainly the talks are held to discuss the positions of others.”']),
        A('to address what he called “Russian aggression” with diplomacy',
          'he', 'called',
          ['“Russian aggression”'],
          note=('"what he called “X”": partial quote of Blinken (speaker he, cue called), not a scare quote: '
                'the construction explicitly assigns the words to the speaker. The enclosing "Blinken said '
                'Tuesday that ..." attribution (no quotation of its own) is not annotated; PolNeAR would not '
                'nest the two.')),
        A('who they can partner with, “Blinken told reporters in Washington. “A country has no right',
          'Blinken', 'told',
          [('@2', ('..', '“The president has been very clear', 'who they can partner with, “')),
           ('..', '“A country has no right', 'relegated to the trash of history.”')],
          anchor2='“The president has been very clear for many, many years',
          note=('the quote "“The president has been ... partner with, “" is closed by a misused OPENING '
                'mark (“ glued to "Blinken"); a reader understands it as the closing mark, so the first '
                'Content fragment ends after that mark.')),
    ],
    '003_06a289d246a3710c': [
        A('NATO refuses to constructively consider our proposals to defuse tensions and avoid dangerous incidents,” Lavrov told the OSCE.',
          'Lavrov', 'told',
          [('@2', ('..', '“The architecture of strategic stability', 'avoid dangerous incidents,”')),
           ('@3', ('..', '“On the contrary,', 'military confrontation is back.”'))],
          anchor2='“The architecture of strategic stability is rapidly being destroyed',
          note=('the following paragraph “On the contrary, ... is back.” has no cue of its own; annotated as a '
                'content continuation of this attribution (PolNeAR guideline), speaker Lavrov.')),
        A('“Making our neighboring countries bridgeheads for confrontation with Russia and deploying NATO forces in close proximity to areas of strategic importance to our security is categorically unacceptable,” he said.',
          'he', 'said',
          [('..', '“Making our neighboring countries', 'is categorically unacceptable,”')]),
    ],
    '004_a2fe9243e21dc331': [
        A('“There is no positive reaction on the main issue in this document,” Sergey Lavrov instructed journalists in Moscow. “The main issue',
          'Sergey Lavrov', 'instructed',
          ['“There is no positive reaction on the main issue in this document,”',
           ('@2', ('..', '“The main issue is our clear position', 'the territory of the Russian Federation.”'))],
          anchor2='“The main issue is our clear position',
          note='"instructed" is a paraphrasing-tool rendering of "told"; it is the speech verb here'),
        A('our Western partners have to get out from a more serious situation,” Lavrov defined. “This principle is clearly stated.',
          'Lavrov', 'defined',
          [('@2', ('..', '“We present non-verbal promises', 'from a more serious situation,”')),
           ('..', '“This principle is clearly stated.', 'at the expense of the security of others.”')],
          anchor2='“We present non-verbal promises',
          note='"defined" is a paraphrasing-tool rendering of "explained"; it is the speech verb here'),
        A('including the Russian Federation,” Lavrov concluded.',
          'Lavrov', 'concluded',
          [('@2', ('..', '“In other words,', 'including the Russian Federation,”'))],
          anchor2='“In other words, the right to choose alliances'),
        A('“There is a reaction there that allows us to count on the beginning of a serious conversation, but on secondary topics,” he mentioned.',
          'he', 'mentioned',
          ['“There is a reaction there that allows us to count on the beginning of a serious conversation, but on secondary topics,”']),
        A('“The President already read the written responses,” he mentioned. “All the papers are with the President. It will take some time to analyze them, we will not rush to any conclusions.”',
          'he', 'mentioned',
          ['“The President already read the written responses,”',
           '“All the papers are with the President. It will take some time to analyze them, we will not rush to any conclusions.”']),
        A('NATO sees ‘room for progress’',
          'NATO', 'sees',
          ['‘room for progress’'],
          note=('section headline with SINGLE quotation marks; a partial quote of NATO (Stoltenberg’s '
                '“room for progress” below). An evaluation that only pairs double quotation marks will not '
                'find it; see README.')),
        A('US Secretary of State Antony Blinken mentioned Wednesday the US’s written response to Russia “sets out a serious diplomatic path forward should Russia choose it.”',
          'US Secretary of State Antony Blinken', 'mentioned',
          ['the US’s written response to Russia “sets out a serious diplomatic path forward should Russia choose it.”']),
        S('reiterated the West’s public response to uphold NATO’s “open-door policy,” rejecting',
          '“open-door policy,”',
          note=('ScareQuote: the quotation marks set off a label (the name of NATO’s policy), not words '
                'ascribed to a speaker. Borderline: it lies inside a paraphrase of Blinken (reiterated ...), '
                'so a PolNeAR-style annotation could have counted it as Blinken’s words.')),
        A('“There is no change. There will be no change,” Blinken mentioned of US and NATO assist',
          'Blinken', 'mentioned',
          ['“There is no change. There will be no change,”']),
        A('the right of states to choose their own security arrangements and alliances,” he added.',
          'he', 'added',
          [('@2', ('..', '“We make clear that there are core principles', 'security arrangements and alliances,”'))],
          anchor2='“We make clear that there are core principles'),
        A('NATO’s Jens Stoltenberg mentioned Wednesday that the alliance’s written response was despatched in “parallel with the United States.”',
          'NATO’s Jens Stoltenberg', 'mentioned',
          ['that the alliance’s written response was despatched in “parallel with the United States.”']),
        A('Although the positions of Moscow and the alliance are “far apart,” the NATO chief outlined three principal areas the place NATO sees “room for progress.”',
          'the NATO chief', 'outlined',
          ['the positions of Moscow and the alliance are “far apart,”',
           'three principal areas the place NATO sees “room for progress.”'],
          note=('“far apart,” has no speech verb of its own; a reader attributes it to the NATO chief, so it is '
                'a second Content fragment of the "outlined" attribution. The nested "NATO sees" is not '
                'annotated separately (PolNeAR: no nested attributions).')),
        A('He requested that Moscow and NATO reopen their “respective offices in Moscow and in Brussels.”',
          'He', 'requested',
          ['that Moscow and NATO reopen their “respective offices in Moscow and in Brussels.”']),
        A('Russian Deputy Foreign Ministry Alexey Zaytsev instructed journalists Thursday that they think about the concept of struggle between Russia and Ukraine “unacceptable”',
          'Russian Deputy Foreign Ministry Alexey Zaytsev', 'instructed',
          ['that they think about the concept of struggle between Russia and Ukraine “unacceptable”'],
          note='"instructed" = "told" (paraphrasing tool)'),
        A('Russian Deputy Foreign Ministry Alexey Zaytsev instructed journalists Thursday that they think about the concept of struggle between Russia and Ukraine “unacceptable” including {that a} dialogue on a ceasefire in jap Ukraine in Paris “was not easy” and ended with out outcome.',
          'Russian Deputy Foreign Ministry Alexey Zaytsev', 'including',
          ['{that a} dialogue on a ceasefire in jap Ukraine in Paris “was not easy” and ended with out outcome'],
          note='"including" = "adding" (paraphrasing tool); shares the Source entity with the "instructed" attribution'),
        A('“There is no alternative to the Minsk agreements,” he mentioned in reference',
          'he', 'mentioned',
          ['“There is no alternative to the Minsk agreements,”']),
        A('making it hard to focus on current tasks and their ability to make long-term plans,” she writes.',
          'she', 'writes',
          [('@2', ('..', '“People admit the uncertainty', 'make long-term plans,”'))],
          anchor2='“People admit the uncertainty'),
        A('doesn’t work this way,” Kuleba instructed journalists throughout a go to to Copenhagen.',
          'Kuleba', 'instructed',
          [('@2', ('..', '“The logic that Ukraine always has to make concessions', 'doesn’t work this way,”'))],
          anchor2='“The logic that Ukraine always has to make concessions'),
        A('Russia has been attacking not only Ukraine,” he mentioned, pointing to Moscow',
          'he', 'mentioned',
          [('@2', ('..', '“I firmly believe that it’s important', 'Russia has been attacking not only Ukraine,”'))],
          anchor2='“I firmly believe that it’s important'),
    ],
}

# ---------------------------------------------------------------------------
# span helpers
# ---------------------------------------------------------------------------

def unique(s, needle):
    idx = [m.start() for m in re.finditer(re.escape(needle), s)]
    if len(idx) != 1:
        raise SystemExit(f'anchor occurs {len(idx)} times (need 1): {needle!r}')
    return idx[0]


def find_in(s, region, needle):
    """(start, end) of needle inside region; needle may be (needle, k) = k-th occurrence.
    Needles are matched on word boundaries (so 'he' does not match inside 'The')."""
    k = None
    if isinstance(needle, tuple):
        needle, k = needle
    pat = ((r'\b' if needle[0].isalnum() else '') + re.escape(needle)
           + (r'\b' if needle[-1].isalnum() else ''))
    lo, hi = region
    idx = [lo + m.start() for m in re.finditer(pat, s[lo:hi])]
    if k is None:
        if len(idx) != 1:
            raise SystemExit(f'needle occurs {len(idx)} times in region (need exactly 1): {needle!r}')
        k = 0
    if k >= len(idx):
        raise SystemExit(f'needle occurrence {k} not found: {needle!r}')
    return idx[k], idx[k] + len(needle)


def frag_span(s, regions, frag):
    """a fragment is searched in the anchor (region 1) or, if prefixed '@2'/'@3', in that
    paragraph; ('..', start, end) spans from start through end, end searched in the
    paragraph of start."""
    region = regions[1]
    if isinstance(frag, tuple) and frag and frag[0] in ('@2', '@3'):
        region = regions[int(frag[0][1])]
        frag = frag[1]
    if isinstance(frag, tuple) and frag and frag[0] == '..':
        a, _ = find_in(s, region, frag[1])
        _, b = find_in(s, (a, paragraph_region(s, a)[1]), frag[2])
        return a, b
    return find_in(s, region, frag)


def paragraph_region(s, start):
    """region from start to the end of its paragraph (line)."""
    e = s.find('\n', start)
    return start, (len(s) if e < 0 else e)


# ---------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------

def build(name, s):
    lines, notes = [], []
    tid = [0]
    eid = [0]
    tmap = {}            # (type, frags) -> T id   (Source entities are shared between events)

    def T(typ, frags, share=False):
        key = (typ, tuple(frags))
        if share and key in tmap:
            return tmap[key]
        tid[0] += 1
        t = f'T{tid[0]}'
        offs = ';'.join(f'{a} {b}' for a, b in frags)
        text = ' '.join(s[a:b] for a, b in frags)
        lines.append(f'{t}\t{typ} {offs}\t{text}')
        tmap[key] = t
        return t

    for item in SPEC[name]:
        a0 = unique(s, item['anchor'])
        region1 = (a0, a0 + len(item['anchor']))
        if item['kind'] == 'S':
            sp = find_in(s, region1, item['needle'])
            t = T('ScareQuote', [sp])
            notes.append((t, item['note']))
            continue
        regions = {1: region1}
        if item.get('anchor2'):
            a2 = unique(s, item['anchor2'])
            regions[2] = paragraph_region(s, a2)
            # @3 = the paragraph that follows the @2 paragraph (continuation paragraphs)
            p3 = regions[2][1]
            while p3 < len(s) and s[p3] in '\n ':
                p3 += 1
            regions[3] = paragraph_region(s, p3)
        src = find_in(s, region1, item['source']) if item['source'] else None
        cue = find_in(s, region1, item['cue'])
        content = [frag_span(s, regions, f) for f in item['content']]
        content.sort()
        ts = T('Source', [src], share=True) if src else None
        tc = T('Cue', [cue])
        tco = T('Content', content)
        ttype = 'Attribution' if src else 'Attribution-no-source'
        tt = T(ttype, [cue])
        eid[0] += 1
        ev = f'E{eid[0]}\t{ttype}:{tt} Content:{tco} Cue:{tc}'
        if ts:
            ev += f' Source:{ts}'
        lines.append(ev)
        if item.get('note'):
            notes.append((tco, item['note']))
    for i, (t, n) in enumerate(notes, 1):
        lines.append(f'#{i}\tAnnotatorNotes {t}\t{n}')
    return '\n'.join(lines) + '\n'


# ---------------------------------------------------------------------------
# gold-quote derivation (same rule as proposed for PolNeAR; see ../README.md)
# ---------------------------------------------------------------------------

def read_ann(txt):
    idre = re.compile(r'^([TEARN*M#]\d*)\t')
    recs = []
    for line in txt.split('\n'):
        if idre.match(line):
            recs.append(line)
        elif recs:
            recs[-1] += '\n' + line          # T text containing a newline
        elif line.strip():
            raise ValueError('unparseable line: ' + line)
    ents, events, notes = {}, {}, {}
    for r in recs:
        id_, rest = r.split('\t', 1)
        if id_[0] == 'T':
            head, t = rest.split('\t', 1)
            typ, offs = head.split(' ', 1)
            ents[id_] = (typ, [tuple(map(int, f.split())) for f in offs.split(';')], t.rstrip('\n'))
        elif id_[0] == 'E':
            events[id_] = [tuple(a.split(':')) for a in rest.split()]
        elif id_[0] == '#':
            head, t = rest.split('\t', 1)
            notes.setdefault(head.split()[1], []).append(t)
    return ents, events, notes


def _straight_opens(s, i):
    p = s[i - 1] if i > 0 else '\n'
    return p.isspace() or p in '([{—–-/'


def quote_spans(s, content_frags=()):
    force_open, force_close, singles = set(), set(), []
    for a, b in content_frags:
        while a < b and s[a].isspace():
            a += 1
        while b > a and s[b - 1].isspace():
            b -= 1
        # One headline quote; "‘A’ Have ‘B.’" is two.
        if b - a >= 2 and s[a] == '‘' and s[b - 1] == '’' and '‘' not in s[a + 1:b - 1]:
            singles.append((a, b))
            continue
        if b > a and s[a] in '“"':
            force_open.add(a)
        if b > a and s[b - 1] in '”"“':
            force_close.add(b - 1)
    # A tag may wrap inside an attribute value: `tweet-date="May 9, 2016⏎">`.
    masked = re.sub(r'<[^<>\n"]*(?:"[^"\n]*(?:\n[^"\n]*)?"[^<>\n"]*)*>', lambda m: re.sub('[“”"]', '_', m.group()), s)
    frag_starts = {a for a, _ in content_frags}
    out, pos = [], 0
    cur = None
    for line in masked.split('\n'):
        base = pos
        pos += len(line) + 1
        for m in re.finditer('[“”"]', line):
            i = base + m.start()
            ch = m.group()
            prev = masked[i - 1] if i > base else None
            nxt = masked[i + 1] if i + 1 < len(masked) else None
            if i in force_close and cur is not None:
                closing = True
            elif i in force_open:
                closing = False
            elif ch == '“':
                # glued to a word and followed by a space or punctuation: misused closing mark
                closing = (prev is not None and (prev.isalnum() or prev in '.,;:!?…—–-')
                           and (nxt is None or nxt.isspace() or nxt in '.,;:!?)[]'))
            elif ch == '”':
                closing = True
            elif cur is not None and (nxt is None or nxt.isspace()):
                closing = True  # `"lyin' " Ted`: a space after it closes
            elif cur is None and nxt is not None and nxt.isalnum():
                closing = False  # `about"joint`: nothing open, so it opens
            else:
                closing = not _straight_opens(masked, i)
            if closing:
                if cur is not None:
                    out.append((cur, i + 1))
                    cur = None
            else:
                if cur is not None:
                    e = i
                    while e > cur and s[e - 1].isspace():
                        e -= 1
                    out.append((cur, e))
                cur = i
        line_end = base + len(line)
        # A Content stopped at a line wrap and resumed right after it: the quote runs on.
        wrapped = (cur is not None and line_end + 1 < len(s) and not s[line_end + 1].isspace()
                   and line_end + 1 in frag_starts
                   and any(a <= cur and line_end - 1 <= b <= line_end for a, b in content_frags))
        if cur is not None and not wrapped:
            e = line_end
            while e > cur and s[e - 1].isspace():
                e -= 1
            out.append((cur, e))
            cur = None
    out += singles
    return sorted(q for q in set(out) if any(c.isalnum() for c in s[q[0]:q[1]]))


def gold_quotes(s, ents, events):
    """[(start, end, event_id or T id, source_frags)]; quotes clipped to their Content fragment."""
    atts = []
    used = set()
    for e, args in events.items():
        src, con = [], []
        for role, t in args[1:]:
            used.add(t)
            if role == 'Source':
                src += ents[t][1]
            elif role.startswith('Content'):
                con += ents[t][1]
        atts.append((e, src, con))
    for t, (typ, frs, _) in ents.items():
        if typ == 'Content' and t not in used:
            atts.append((t, [], list(frs)))
    scare = [f for (typ, frs, _) in ents.values() if typ == 'ScareQuote' for f in frs]
    owner = {}
    for e, src, con in atts:
        for x, y in con:
            for i in range(x, y):
                owner[i] = e
    allfr = [f for _, _, con in atts for f in con]
    gold, ambiguous = [], []
    for q in quote_spans(s, allfr):
        if any(q[0] < y and x < q[1] for x, y in scare):
            continue
        al = [i for i in range(*q) if s[i].isalnum()]
        own = {owner.get(i) for i in al}
        if own == {None}:
            continue
        if None in own or len(own) > 1:
            ambiguous.append(q)
            continue
        e = own.pop()
        _, src, con = next(a for a in atts if a[0] == e)
        frs = [f for f in con if f[0] < q[1] and q[0] < f[1]]
        a, b = max(q[0], min(f[0] for f in frs)), min(q[1], max(f[1] for f in frs))
        gold.append((a, b, e, src))
    return gold, ambiguous


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------

def validate(name, s, ann):
    errs = []
    ents, events, notes = read_ann(ann)
    for t, (typ, frs, text) in ents.items():
        for a, b in frs:
            if not (0 <= a < b <= len(s)):
                errs.append(f'{t}: bad offsets {a} {b}')
        if ' '.join(s[a:b] for a, b in frs) != text:
            errs.append(f'{t}: text mismatch')
        if typ not in ('Source', 'Cue', 'Content', 'Attribution', 'Attribution-no-source', 'ScareQuote'):
            errs.append(f'{t}: unexpected type {typ}')
        for a, b in frs:
            if s[a].isspace() or s[b - 1].isspace():
                errs.append(f'{t}: span starts/ends with whitespace')
    for e, args in events.items():
        roles = [r for r, _ in args[1:]]
        et, trig = args[0]
        if ents[trig][0] != et:
            errs.append(f'{e}: trigger type')
        if roles.count('Cue') != 1 or roles.count('Content') != 1:
            errs.append(f'{e}: needs exactly one Cue and one Content')
        if (et == 'Attribution') != ('Source' in roles):
            errs.append(f'{e}: Attribution/Source mismatch')
        cue = [t for r, t in args[1:] if r == 'Cue'][0]
        if ents[cue][1] != ents[trig][1]:
            errs.append(f'{e}: trigger span must equal cue span')
    # univocal: no character in two different roles (shared Source entities allowed)
    seen = {}
    for t, (typ, frs, _) in ents.items():
        if typ == 'Attribution' or typ == 'Attribution-no-source':
            continue
        for a, b in frs:
            for i in range(a, b):
                if i in seen and seen[i] != t:
                    errs.append(f'{t} overlaps {seen[i]} at {i}')
                    break
                seen[i] = t
    # every quotation mark in the article is covered by a Content or ScareQuote span
    covered = set(i for t, (typ, frs, _) in ents.items() if typ in ('Content', 'ScareQuote')
                  for a, b in frs for i in range(a, b))
    for m in re.finditer('[“”"‘]', s):
        if m.start() not in covered:
            errs.append(f'quotation mark at {m.start()} not covered: {s[max(0, m.start()-30):m.start()+30]!r}')
    gold, amb = gold_quotes(s, ents, events)
    if amb:
        errs.append(f'ambiguous derived quotes: {amb}')
    return errs, gold, ents, events


def main():
    check_only = '--check' in sys.argv
    seed_dir = next((d for d in SEED_DIRS if os.path.isdir(d)), None)
    if seed_dir is None:
        raise SystemExit('seed articles not found in ' + ' or '.join(SEED_DIRS))
    tsv = ['file\tquote_start\tquote_end\tattribution\tsource_start\tsource_end\tsource_text\tquote_text']
    total_err = 0
    summary = []
    for name in sorted(SPEC):
        raw = open(os.path.join(seed_dir, name + '.txt'), 'rb').read()
        if hashlib.sha256(raw).hexdigest() != SHA256[name]:
            raise SystemExit(f'{name}.txt changed: offsets must be regenerated/reviewed')
        s = raw.decode('utf-8')
        path = os.path.join(HERE, name + '.ann')
        if check_only:
            ann = open(path, encoding='utf-8').read()
        else:
            ann = build(name, s)
            with open(path, 'w', encoding='utf-8', newline='\n') as f:
                f.write(ann)
        errs, gold, ents, events = validate(name, s, ann)
        for e in errs:
            print(f'{name}: {e}')
        total_err += len(errs)
        for a, b, e, src in gold:
            st = ' '.join(s[x:y] for x, y in src)
            tsv.append('\t'.join([name, str(a), str(b), e,
                                  ';'.join(str(x) for x, _ in src) or '-',
                                  ';'.join(str(y) for _, y in src) or '-',
                                  st or '-', s[a:b].replace('\n', ' ')]))
        n_scare = sum(1 for typ, _, _ in ents.values() if typ == 'ScareQuote')
        n_nosrc = sum(1 for g in gold if not g[3])
        summary.append(f'{name}: {len(events)} attributions, {len(gold)} gold quotes '
                       f'({n_nosrc} without source), {n_scare} scare quotes')
    if not check_only:
        with open(os.path.join(HERE, 'quotes.tsv'), 'w', encoding='utf-8', newline='\n') as f:
            f.write('\n'.join(tsv) + '\n')
    else:
        cur = open(os.path.join(HERE, 'quotes.tsv'), encoding='utf-8').read()
        if cur != '\n'.join(tsv) + '\n':
            print('quotes.tsv is out of date')
            total_err += 1
    print('\n'.join(summary))
    print('OK' if total_err == 0 else f'{total_err} problem(s)')
    sys.exit(1 if total_err else 0)


if __name__ == '__main__':
    main()
