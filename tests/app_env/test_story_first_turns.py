"""First questions that tell a bit of the writer's story, politely or indirectly, and name what they
ask by a paraphrase (session 37, helper ar15; dev set tests/data/dev_conversations/ar15.yml):
- work abroad and how long one has lived or worked there are part of the self-introduction, dropped
  before searching like a residence (`work_abroad`, `stay_length` in assistant/words/conversation.yml):
  "أعمل مهندسا في ألمانيا" made the search answer POMIRE (the GIZ's programme) for the creation time;
- polite and indirect formulas ("تحية طيبة، أود أن أستفسر عن…", "أرجو إفادتي") are function words
  (assistant/kb/stopwords.yml);
- an NLU unsure of its topic does not refuse a strong match holding most of the question's words
  (decision.py);
- the pension in French in Arabic letters ("لابونسيون"), creating "وأنا برا بلا ما نجي", applying in
  MSA ("كيف أطلب"), and subjects named by paraphrase (the MDM Invest fund, a branch, what the notary
  takes) are data (kb_spellings.yml, facets.yml, the entries' synonyms).
Intents and confidences: main's NLU reading of each message."""

from __future__ import annotations

import pytest

from assistant.kb import decision
from assistant.kb.parts import lives_abroad, without_introduction
from assistant.kb.query import Hit, Query
from assistant.kb.search import subjects_from_entities
from tests.app_env.kb_index import index, searched


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("تحية طيبة، أعمل مهندسا في ألمانيا، وأود أن أستفسر عن مدة التأسيس", "واود ان استفسر عن مده التاسيس"),
        ("مساء الخير، أعمل ممرضا في هولندا منذ خمس عشرة سنة، وأريد فتح شركة", "واريد فتح شركه"),
        ("أنا مقيم في فرنسا منذ عشرين سنة وأريد فتح شركة", "واريد فتح شركه"),
        ("أنا مقيم بإيطاليا منذ سنتين وأريد فتح شركة", "واريد فتح شركه"),
        ("السلام، أنا ساكن ففرنسا هادي عشرين عام وبغيت نحل شركة", "وبغيت نحل شركه"),
        ("كنخدم فبلجيكا هادي 15 عام، شحال كتكلف الشركة؟", "شحال كتكلف الشركه?"),
        ("سلام، أنا خدام فألمانيا وبغيت نعرف شحال كتكلف الشركة", "وبغيت نعرف شحال كتكلف الشركه"),
        ("ana khdam f italia hadi 10 snin w bghit n7el sarl", "w bghit n7el sarl"),
        ("ana sakn f fransa mn 20 3am w bghit lwra9 dyal sarl", "w bghit lwra9 dyal sarl"),
        ("je travaille comme infirmier en belgique et je voudrais créer une sarl", "et je voudrais creer une sarl"),
        ("je vis en France depuis 20 ans et je voudrais créer une sarl", "et je voudrais creer une sarl"),
        ("i work in germany and i want to open a company", "and i want to open a company"),
    ],
)
def test_work_abroad_and_how_long_are_part_of_the_introduction(text: str, kept: str) -> None:
    assert lives_abroad(text)
    assert without_introduction(text).endswith(kept), without_introduction(text)


@pytest.mark.parametrize(
    "text",
    [
        "أعمل في المغرب منذ سنتين وأريد فتح شركة",  # (Morocco is no country of the diaspora: kept)
        "أعمل في مجال البناء وأريد فتح شركة",  # (a trade, no country: kept)
        "je travaille au maroc depuis 2 ans, comment creer une sarl",
        "ana khdam f lmaghrib w bghit n7el sarl",
    ],
)
def test_work_in_morocco_or_in_a_trade_is_kept(text: str) -> None:
    assert not lives_abroad(text)
    assert "مغرب" in without_introduction(text) or "maroc" in without_introduction(text) \
        or "مجال" in without_introduction(text) or "lmaghrib" in without_introduction(text)


def first_turn(text: str, intent: str, confidence: float, entities: tuple[tuple[str, str], ...] = ()) -> str | None:
    found: list[dict[str, object]] = [{"entity": e, "value": v} for e, v in entities]
    result = searched(text, intent, confidence, subjects=subjects_from_entities(found, index().vocabulary))
    return result.best.entry.id if result.best and result.confident and not result.ambiguous else None


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "entities", "entry"),
    [
        # a story before the question (MSA, Darija, Arabizi, French, English)
        ("مساء الخير، أعمل ممرضا في هولندا منذ خمس عشرة سنة، وأود أن أستفسر عن المدة التي يتطلبها تأسيس شركة",
         "ask_creation", 1.0, (), "creation-time"),
        ("تحية طيبة، أعمل مهندسا في ألمانيا، وأود أن أستفسر عن المدة التي يستغرقها إنشاء شركة بالمغرب",
         "ask_creation", 1.0, (), "creation-time"),
        ("السلام، أنا ساكن فإيطاليا هادي تلتين عام وبغيت نحل شي مشروع فالمغرب، شحال غادي يكلفني؟",
         "ask_exchange", 0.91, (), "creation-costs"),
        ("السلام، أنا ساكن ففرنسا هادي عشرين عام وبغيت نحل شي شركة فالمغرب، شحال غادي تكلفني؟",
         "ask_tax", 0.56, (), "creation-costs"),
        ("كنخدم فبلجيكا هادي 15 عام، شحال كياخد ديال الوقت باش نحل شركة؟", "ask_creation", 0.78, (), "creation-time"),
        ("salam, ana khdam f almania hadi 12 3am w bghit n3ref ch7al kaykhod lwe9t bach n7el charika",
         "ask_creation", 1.0, (), "creation-time"),
        ("i work as an engineer in canada for 10 years and i would like to know the documents to open a company",
         "nlu_fallback", 0.45, (), "required-documents"),
        # creating from where one is, without coming
        ("واش نقدر نفتح شركة فالمغرب وأنا فالخارج بلا ما نجي؟", "ask_exchange", 0.98, (), "creation-from-abroad"),
        ("واش نقدر نحل شركة فالمغرب وأنا برا بلا ما نجي؟", "ask_exchange", 1.0, (), "creation-from-abroad"),
        # the pension in French in Arabic letters
        ("كنشد البونسيون من بلجيكا، واش غادي نخلص عليها الضريبة إلا رجعت للمغرب؟", "ask_tax", 1.0, (), "pension-transfer-tax"),
        ("أنا متقاعد فهولندا وكنشد لابونسيون، واش غادي نخلص عليها الضريبة إلا رجعت للمغرب؟", "ask_tax", 1.0, (),
         "pension-transfer-tax"),
        # applying, in MSA
        ("كيف يمكنني أن أطلب الاستفادة من MDM Invest؟", "ask_financing", 1.0, (("programme", "mdm_invest"),),
         "mdm-invest-procedure"),
        # subjects by paraphrase
        ("أرجو إفادتي بالشروط المطلوبة للاستفادة من صندوق دعم استثمارات مغاربة العالم", "ask_financing", 1.0, (),
         "mdm-invest-eligibility"),
        ("لدي شركة في ألمانيا وأرغب في فتح فرع لها في طنجة، ما هي الوثائق اللازمة؟", "ask_creation", 1.0,
         (("procedure", "required_documents"),), "branch-documents"),
        ("عندي شركة فإسبانيا وبغيت نحل ليها فرع فطنجة، شنو خاصني؟", "follow_up", 0.58, (), "branch-documents"),
        ("كم يأخذ الموثق مقابل تحرير النظام الأساسي للشركة؟", "ask_creation", 1.0, (("procedure", "statutes"),), "notary-fees"),
    ],
)
def test_a_first_turn_with_a_story_or_a_paraphrase_gets_its_entry(text: str, intent: str, confidence: float,
                                                                   entities: tuple[tuple[str, str], ...], entry: str) -> None:
    assert first_turn(text, intent, confidence, entities) == entry


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "entry"),
    [
        ("أريد أن أحضر معي آلات من إيطاليا لورشتي في المغرب، هل أدفع عليها رسوم الجمارك؟", "ask_tax", 0.64, "importing-equipment"),
        ("بغيت نجيب الماكينات من ألمانيا للمعمل ديالي، واش غادي نخلص الديوانة عليهم؟", "ask_tax", 0.7, "importing-equipment"),
    ],
)
def test_an_unsure_topic_does_not_refuse_a_strong_match(text: str, intent: str, confidence: float, entry: str) -> None:
    assert first_turn(text, intent, confidence) == entry


def test_a_sure_topic_of_another_kind_still_refuses_an_unnamed_match() -> None:
    entry = next(e for e in index().entries if e.id == "importing-equipment")
    best = Hit(entry, 20.0, ("bm25",), 20.0)
    terms = ["احضر", "الات", "رسوم", "جمارك"]
    sure = Query(text="x", intent="ask_tax", intent_confidence=0.95)
    unsure = Query(text="x", intent="ask_tax", intent_confidence=0.6)
    weak = Hit(entry, 8.0, ("bm25",), 8.0)

    def confident(hit: Hit, query: Query) -> bool:
        return decision.confident(hit, terms, 0.75, query, "taxes", follow_up=False, wanted_facets=(),
                                  about_business=lambda: False)

    assert confident(best, unsure)
    assert not confident(best, sure)
    assert not confident(weak, unsure)  # (a match not strong enough: the topic still refuses it)


@pytest.mark.parametrize(
    "text",
    ["تحية طيبة، أود أن أستفسر عن", "أرجو إفادتي", "بغيت نعرف واش", "من فضلكم أخبروني", "بغيت نسولك"],
)
def test_polite_and_indirect_formulas_are_no_words_of_the_question(text: str) -> None:
    assert index().question_terms(text)[1] == []
