"""Welsh word forms for rule patterns: initial mutations from the standard table, and inflections.

Welsh changes the first sound of a word after certain words: *cyngor* (council) is *ei gyngor*
(his council, soft mutation), *fy nghyngor* (my council, nasal), *ei chyngor* (her council,
aspirate); a word starting with a vowel takes an *h* after *ei* (her), *ein*, *eu*:
*ymgynghoriad*, *eu hymgynghoriad* (h-prothesis). ``mutations`` writes out every form from the
table; ``inflections`` reads plurals and verb forms from simplemma's Welsh dictionary. Both run
only when a pack is compiled.
"""

from __future__ import annotations

from functools import lru_cache

# Radical initial -> (soft, nasal, aspirate); None where the mutation leaves it alone. Digraphs first.
MUTATIONS: dict[str, tuple[str | None, str | None, str | None]] = {
    **{letter: (None, None, None) for letter in ("ch", "ph", "th", "dd", "ff", "ng")},  # letters that do not mutate
    "ll": ("l", None, None),
    "rh": ("r", None, None),
    "p": ("b", "mh", "ph"),
    "t": ("d", "nh", "th"),
    "c": ("g", "ngh", "ch"),
    "b": ("f", "m", None),
    "d": ("dd", "n", None),
    "g": ("", "ng", None),
    "m": ("f", None, None),
}
VOWELS = "aeiouwyâêîôûŵŷ"


def mutations(word: str) -> list[str]:
    """``word`` and its soft, nasal and aspirate mutations, or its h-prothesis form; case of the first letter kept."""
    lower = word.lower()
    forms = [lower]
    for radical, changes in MUTATIONS.items():
        if lower.startswith(radical) and len(lower) > len(radical):
            rest = lower[len(radical):]
            forms += [initial + rest for initial in changes if initial is not None]
            break
    else:
        if lower[:1] in VOWELS:
            forms.append("h" + lower)
    if word[:1].isupper():
        forms = [form[:1].upper() + form[1:] for form in forms]
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table: dict[str, set[str]] = {}
    for form, lemma in DefaultDictionaryFactory().get_dictionary("cy").items():
        table.setdefault(lemma, set()).add(form)
    return {lemma: frozenset(forms) for lemma, forms in table.items()}


def mutated_inflections(word: str) -> list[str]:
    """Every inflected form of ``word``, and the mutations of those that keep its radical initial."""
    lower = word.lower()
    radical = next((initial for initial in MUTATIONS if lower.startswith(initial)), lower[:1])
    forms = []
    for form in inflections(word):
        forms += mutations(form) if form.lower().startswith(radical) else [form]
    return list(dict.fromkeys(forms))


def inflections(word: str) -> list[str]:
    """``word`` and its inflected forms (plurals, verb forms) in simplemma's Welsh dictionary, longest first."""
    lower = word.lower()
    forms = {lower, *_forms_by_lemma().get(lower, ())}
    if word[:1].isupper():
        forms = {form[:1].upper() + form[1:] for form in forms}
    return sorted(forms, key=lambda form: (-len(form), form))
