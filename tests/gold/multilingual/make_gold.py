#!/usr/bin/env python3
"""Write quotes.tsv: the gold quotes and speakers of the four multilingual
seed-like articles (corpus/articles/005-008), written for marginalia (issue 19).

Usage: python3 tests/gold/multilingual/make_gold.py

Every quote and speaker is given as text (a needle: its first
occurrence after the quote, or its last before it) and converted here to Unicode code
point offsets, end exclusive, marks included in quotes. The speaker is the
mention that attributes the quote in the article (a pronoun stays a pronoun),
as in tests/gold/README.md.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ARTICLES = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'corpus', 'articles'))
NB = '\u00a0'

GOLD = {
    '005_fr_macron_kremlin': [
        (f'«{NB}Nous sommes prêts à travailler ensemble sur des garanties de sécurité{NB}»', 'Macron', 'after'),
        (f'«{NB}Rien n’est encore décidé{NB}»', 'il', 'after'),
        (f'«{NB}Il est trop tôt pour parler d’un accord{NB}»', 'Peskov', 'after'),
        (f'«{NB}des éléments constructifs{NB}»', 'Sergueï Lavrov', 'before'),
    ],
    '006_ru_lavrov_geneva': [
        ('«Мы готовы к переговорам, но не будем ждать бесконечно»', 'Лавров', 'after'),
        ('«Это вопрос „красных линий“ для нас»', 'он', 'after'),
        ('— Решение теперь за Вашингтоном,', 'Лавров', 'after'),
        ('— Мы изложили нашу позицию предельно ясно.', 'Лавров', 'before'),
        ('«разговор был откровенным и полезным»', 'Лаврова', 'before'),
    ],
    '007_uk_kuleba_briefing': [
        ('«Ми не погодимося на жодні поступки щодо нашого суверенітету»', 'Кулеба', 'after'),
        ('«дипломатичне вікно ще відкрите»', 'Кулеби', 'before'),
        ('«Переговори тривають, і ми готові до діалогу»', 'речник міністерства Олег Ніколенко', 'after'),
    ],
    '008_de_lawrow_moskau': [
        ('„Das war ein Gespräch zwischen einem Stummen und einem Tauben“', 'Lawrow', 'after'),
        ('„Die Truppen befinden sich auf unserem eigenen Territorium“', 'Peskow', 'after'),
        ('„Wir sind zu ernsthaften Gesprächen bereit“', 'Lawrow', 'after'),
        ('„Aber unsere Sicherheitsinteressen sind nicht verhandelbar.“', 'Lawrow', 'before'),
    ],
}


rows = ['file\tquote_start\tquote_end\tsource_start\tsource_end\tsource_text\tquote_text']
for name, quotes in GOLD.items():
    text = open(os.path.join(ARTICLES, name + '.txt'), encoding='utf-8').read()
    for quote, needle, where in quotes:
        q = text.index(quote)
        # The speaker: its first occurrence after the quote, or its last before it.
        s = text.index(needle, q + len(quote)) if where == 'after' else text.rindex(needle, 0, q)
        rows.append(f'{name}\t{q}\t{q + len(quote)}\t{s}\t{s + len(needle)}\t{needle}\t{quote}')
with open(os.path.join(HERE, 'quotes.tsv'), 'w', encoding='utf-8') as f:
    f.write('\n'.join(rows) + '\n')
print(f'{len(rows) - 1} quotes')
