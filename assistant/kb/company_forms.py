"""A procedure done to one's company named with the company's legal form: "fermer ma SARL", "nsed la
SARL", "كيفاش نسد SARL", "compte bancaire de la SARL". The entries name such a procedure with a word
for a company ("fermer ma société", "نسد الشركة", "compte bancaire de la société"); the same name
with a legal form's acronym in the company word's place is the same procedure (the closing, the
company's bank account), not the legal form, which would answer what a SARL is. Not for the
procedures an aspect's general entry answers ("créer une société depuis l'étranger" is the way from
abroad for any company, "créer une SARL depuis l'étranger" first the SARL). Likewise a tax a company
pays named with its legal form ("wach SARL katkhelles la patente?"): the tax (`paid_by_form`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from assistant.text import search_terms


def acronym(text: str) -> bool:
    """A legal form's name written as an acronym ("SARL", "SARL AU", "SAS")."""
    return text.isascii() and text.replace(" ", "").isalpha() and text.replace(" ", "").isupper()


def with_legal_forms(phrases: Iterable[tuple[str, str, str]], company_words: Iterable[str],
                     general_subjects: Collection[str]) -> list[tuple[str, str, str]]:
    """(entity, value, text) of each procedure's name holding one company word (`company_words`, as
    single terms), with that word replaced by each legal form's acronym among `phrases`."""
    phrases = list(phrases)
    company = {t for w in company_words if len(terms := search_terms(w)) == 1 for t in terms}
    forms = sorted({tuple(search_terms(text)) for entity, _, text in phrases if entity == "legal_form" and acronym(text)})
    out: list[tuple[str, str, str]] = []
    for entity, value, text in phrases:
        if entity != "procedure" or f"{entity}:{value}" in general_subjects:
            continue
        terms = search_terms(text)
        places = [i for i, t in enumerate(terms) if t in company]
        if len(places) != 1:
            continue
        at = places[0]
        out += [(entity, value, " ".join([*terms[:at], *form, *terms[at + 1:]])) for form in forms]
    return out


def paid_by_form(subjects: Collection[str], others: Collection[str], named: Collection[str], asked: Collection[str],
                 facets_of: Mapping[str, Collection[str]]) -> bool:
    """Whether a tax named beside a legal form is what is asked ("est-ce qu'une SARL paie la taxe
    professionnelle ?", "wach SARL katkhelles la patente?"): `others` (the subjects that are no legal
    form nor place) all taxes the question's own words name (`named`), an aspect `asked` (facets
    selected) that no legal form named has an entry for. The form says who pays; the aspect's general
    entry for the form (what creating it costs) does not answer. A form with an entry for the aspect
    stays ("l'auto-entrepreneur paie-t-il l'IS ?": its tax)."""
    forms = [s for s in subjects if s.split(":", 1)[0] == "legal_form"]
    return (bool(forms and others and asked) and all(s.split(":", 1)[0] == "tax" and s in named for s in others)
            and not any(set(asked) & set(facets_of.get(s, ())) for s in forms))


def pays_own_way(subjects: Collection[str], others: Collection[str], named: Collection[str], asked: Collection[str],
                 facets_of: Mapping[str, Collection[str]]) -> bool:
    """Whether a legal form having its own entry for the aspect asked is named beside taxes the
    question's words name ("wach l'auto-entrepreneur kaykhless la TVA?", "does an auto-entrepreneur
    pay VAT?"): the form's entry says what it pays; the tax's entry (its rates) says nothing of the
    form. The converse of `paid_by_form` (a form with no such entry: the tax)."""
    forms = [s for s in subjects if s.split(":", 1)[0] == "legal_form"]
    return (bool(forms and others and asked) and all(s.split(":", 1)[0] == "tax" and s in named for s in others)
            and any(set(asked) & set(facets_of.get(s, ())) for s in forms))


#: Words of a procedure's name, its company word left out, that a question may hold before its legal
#: form's name with this many other words between them (function words aside): "compte bancaire
#: islamique pour ma SARL" is the company's bank account, of an Islamic bank.
MAX_BETWEEN = 2

#: A name's other words are read apart from its company word only when this many content words remain
#: (one, "fermer" or "حل", is no name: "wach kayn chi حل l sarl" asks for a solution).
MIN_HEAD_TERMS = 2


class LooseProcedures:
    """The procedures named, in a question, by the words of their name before the company word
    ("compte bancaire", "bank account", "كونط بنكي"), followed by a legal form's name with a few
    words between: the name with the legal form in the company word's place, qualified ("compte
    bancaire islamique pour ma SARL", "كونط بنكي إسلامي للصارل"). The exact names are phrases of
    the vocabulary (`with_legal_forms`)."""

    def __init__(self, phrases: Iterable[tuple[str, str, str]], company_words: Iterable[str],
                 general_subjects: Collection[str], function_words: Collection[str]) -> None:
        phrases = list(phrases)
        company = {t for w in company_words if len(terms := search_terms(w)) == 1 for t in terms}
        self.function_words = frozenset(function_words)
        self.heads: dict[tuple[str, ...], str] = {}  # content terms before the company word -> procedure
        for entity, value, text in phrases:
            if entity != "procedure" or f"{entity}:{value}" in general_subjects:
                continue
            terms = search_terms(text)
            places = [i for i, t in enumerate(terms) if t in company]
            if len(places) != 1 or places[0] != len(terms) - 1:
                continue
            head = tuple(t for t in terms[:places[0]] if t not in self.function_words)
            if len(head) >= MIN_HEAD_TERMS:
                self.heads.setdefault(head, value)
        self.forms = {form for entity, _, text in phrases if entity == "legal_form"
                      if (form := tuple(t for t in search_terms(text) if t not in self.function_words))}

    def named(self, terms: Sequence[str], asked: Collection[str] = ()) -> str | None:
        """The procedure the question's terms name by its head before a legal form's name, if any; the
        words between qualify it, none of them an aspect's (`asked`: "compte bancaire bloqué pour le
        capital de ma SARL" asks of the capital)."""
        content = [t for t in terms if t not in self.function_words]
        for start in range(len(content)):
            for head, value in self.heads.items():
                if tuple(content[start:start + len(head)]) != head:
                    continue
                after = start + len(head)
                if any(tuple(content[at:at + len(form)]) == form and not set(content[after:at]) & set(asked)
                       for at in range(after, min(after + MAX_BETWEEN, len(content)) + 1) for form in self.forms):
                    return value
        return None
