"""Strings of the staff console and of the service's error pages, in fr, ar and en.

A test fails if a string lacks a language. `t(language, key, **values)` renders one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml

from assistant.languages import LANGUAGES, coerce_language

#: Further string tables (YAML, `key: {fr: ..., ar: ..., en: ...}`) merged into the catalog:
#: the insights pages (#14), where each staff reply is (#9, #12).
TABLES: Final[tuple[Path, ...]] = (
    Path(__file__).resolve().parents[1] / "insights" / "strings.yml",
    Path(__file__).with_name("delivery_strings.yml"),
)


def load_table(path: Path) -> dict[str, dict[str, str]]:
    """One YAML string table; every string in every language."""
    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key, texts in table.items():
        missing = [lang for lang in LANGUAGES if not isinstance(texts, dict) or not texts.get(lang)]
        if missing:
            raise ValueError(f"{path.name}: {key!r} lacks {', '.join(missing)}")
    return table

STRINGS: Final[dict[str, dict[str, str]]] = {
    "console_title": {"fr": "Console de la cellule d'orientation", "ar": "واجهة خلية التوجيه", "en": "Guidance unit console"},
    "login_title": {"fr": "Connexion", "ar": "تسجيل الدخول", "en": "Log in"},
    "email": {"fr": "Adresse e-mail", "ar": "البريد الإلكتروني", "en": "E-mail address"},
    "password": {"fr": "Mot de passe", "ar": "كلمة المرور", "en": "Password"},
    "log_in": {"fr": "Se connecter", "ar": "دخول", "en": "Log in"},
    "log_out": {"fr": "Se déconnecter", "ar": "خروج", "en": "Log out"},
    "login_failed": {"fr": "E-mail ou mot de passe incorrect.", "ar": "البريد الإلكتروني أو كلمة المرور غير صحيحة.", "en": "Wrong e-mail or password."},
    "login_rate_limited": {
        "fr": "Trop de tentatives. Réessayez dans 15 minutes.",
        "ar": "محاولات كثيرة. حاولوا مرة أخرى بعد 15 دقيقة.",
        "en": "Too many attempts. Try again in 15 minutes.",
    },
    "session_expired": {"fr": "Votre session a expiré : reconnectez-vous.", "ar": "انتهت صلاحية جلستكم: سجلوا الدخول من جديد.", "en": "Your session expired: please log in again."},
    "csrf_failed": {
        "fr": "Le formulaire a expiré. Rechargez la page et recommencez.",
        "ar": "انتهت صلاحية الاستمارة. أعيدوا تحميل الصفحة وحاولوا مجددا.",
        "en": "The form expired. Reload the page and try again.",
    },
    "language": {"fr": "Langue", "ar": "اللغة", "en": "Language"},
    "queue": {"fr": "File des demandes", "ar": "قائمة الطلبات", "en": "Request queue"},
    "filters": {"fr": "Filtres", "ar": "التصفية", "en": "Filters"},
    "apply": {"fr": "Filtrer", "ar": "تصفية", "en": "Filter"},
    "all": {"fr": "Tous", "ar": "الكل", "en": "All"},
    "reference": {"fr": "Référence", "ar": "المرجع", "en": "Reference"},
    "created": {"fr": "Créée", "ar": "تاريخ الإنشاء", "en": "Created"},
    "status": {"fr": "Statut", "ar": "الحالة", "en": "Status"},
    "channel": {"fr": "Canal", "ar": "القناة", "en": "Channel"},
    "region": {"fr": "Région", "ar": "الجهة", "en": "Region"},
    "topic": {"fr": "Sujet", "ar": "الموضوع", "en": "Topic"},
    "assignee": {"fr": "Conseiller", "ar": "المستشار", "en": "Advisor"},
    "unassigned": {"fr": "Non attribuée", "ar": "غير مسندة", "en": "Unassigned"},
    "no_cases": {"fr": "Aucune demande.", "ar": "لا توجد طلبات.", "en": "No requests."},
    "live_badge": {"fr": "En direct", "ar": "مباشر", "en": "Live"},
    "erased_badge": {"fr": "Données effacées", "ar": "معطيات محذوفة", "en": "Data erased"},
    "status_new": {"fr": "Nouvelle", "ar": "جديدة", "en": "New"},
    "status_assigned": {"fr": "Attribuée", "ar": "مسندة", "en": "Assigned"},
    "status_waiting_user": {"fr": "En attente de l'investisseur", "ar": "في انتظار المستثمر", "en": "Waiting for the investor"},
    "status_resolved": {"fr": "Résolue", "ar": "تمت معالجتها", "en": "Resolved"},
    "status_closed": {"fr": "Clôturée", "ar": "مغلقة", "en": "Closed"},
    "stage_idea": {"fr": "Idée", "ar": "فكرة", "en": "Idea"},
    "stage_creation": {"fr": "Création", "ar": "إنشاء", "en": "Creation"},
    "stage_extension": {"fr": "Extension", "ar": "توسيع", "en": "Extension"},
    "topic_legal_forms": {"fr": "Formes juridiques", "ar": "الأشكال القانونية", "en": "Legal forms"},
    "topic_creation": {"fr": "Création", "ar": "الإنشاء", "en": "Creation"},
    "topic_regions": {"fr": "Régions", "ar": "الجهات", "en": "Regions"},
    "topic_taxes": {"fr": "Fiscalité", "ar": "الضرائب", "en": "Taxes"},
    "region_undecided": {"fr": "Pas encore décidée", "ar": "لم تحدد بعد", "en": "Not decided yet"},
    "topic_financing": {"fr": "Financement", "ar": "التمويل", "en": "Financing"},
    "topic_programmes": {"fr": "Programmes", "ar": "البرامج", "en": "Programmes"},
    "topic_exchange": {"fr": "Change", "ar": "الصرف", "en": "Foreign exchange"},
    "back_to_queue": {"fr": "← Retour à la file", "ar": "→ العودة إلى القائمة", "en": "← Back to the queue"},
    "profile": {"fr": "Profil de l'investisseur", "ar": "ملف المستثمر", "en": "Investor profile"},
    "plan_title": {"fr": "Plan de création de l'investisseur", "ar": "خطة إنشاء المشروع لدى المستثمر", "en": "Investor's creation plan"},
    "plan_answers": {"fr": "Ses réponses", "ar": "أجوبته", "en": "Their answers"},
    "plan_financing": {"fr": "Pré-vérification des financements (indicative)", "ar": "التحقق الأولي من التمويلات (استرشادي)", "en": "Financing pre-check (indicative)"},
    "plan_download": {"fr": "Télécharger le plan (PDF)", "ar": "تحميل الخطة (PDF)", "en": "Download the plan (PDF)"},
    "name": {"fr": "Nom", "ar": "الاسم", "en": "Name"},
    "contact": {"fr": "Contact", "ar": "التواصل", "en": "Contact"},
    "country": {"fr": "Pays de résidence", "ar": "بلد الإقامة", "en": "Country of residence"},
    "sector": {"fr": "Secteur", "ar": "القطاع", "en": "Sector"},
    "stage": {"fr": "Stade", "ar": "المرحلة", "en": "Stage"},
    "question": {"fr": "Question", "ar": "السؤال", "en": "Question"},
    "conversation": {"fr": "Conversation", "ar": "المحادثة", "en": "Conversation"},
    "from_investor": {"fr": "Investisseur", "ar": "المستثمر", "en": "Investor"},
    "from_assistant": {"fr": "Assistant", "ar": "المساعد", "en": "Assistant"},
    "snapshot_note": {
        "fr": "L'assistant est injoignable : copie de la conversation au moment de la demande.",
        "ar": "المساعد غير متاح: نسخة من المحادثة وقت تقديم الطلب.",
        "en": "The assistant is unreachable: copy of the conversation when the request was made.",
    },
    "claim": {"fr": "Prendre en charge", "ar": "التكفل بالطلب", "en": "Claim"},
    "assign_to": {"fr": "Attribuer à", "ar": "إسناد إلى", "en": "Assign to"},
    "assign": {"fr": "Attribuer", "ar": "إسناد", "en": "Assign"},
    "take_live": {"fr": "Prendre la conversation en direct", "ar": "تولي المحادثة مباشرة", "en": "Take over the conversation live"},
    "hand_back": {"fr": "Rendre la main à l'assistant", "ar": "إعادة المحادثة إلى المساعد", "en": "Hand back to the assistant"},
    "live_explained": {
        "fr": "Vous êtes en direct : l'assistant est en pause, l'investisseur voit vos réponses sur son canal.",
        "ar": "أنتم في محادثة مباشرة: المساعد متوقف، ويرى المستثمر ردودكم على قناته.",
        "en": "You are live: the assistant is paused and the investor sees your replies on their channel.",
    },
    "reply": {"fr": "Répondre à l'investisseur", "ar": "الرد على المستثمر", "en": "Reply to the investor"},
    "send": {"fr": "Envoyer", "ar": "إرسال", "en": "Send"},
    "notes": {"fr": "Notes internes", "ar": "ملاحظات داخلية", "en": "Internal notes"},
    "add_note": {"fr": "Ajouter la note", "ar": "إضافة الملاحظة", "en": "Add note"},
    "notes_private": {"fr": "Visibles uniquement par la cellule.", "ar": "لا تظهر إلا للخلية.", "en": "Visible to the unit only."},
    "staff_replies": {"fr": "Réponses de la cellule", "ar": "ردود الخلية", "en": "Unit replies"},
    "history": {"fr": "Historique", "ar": "السجل", "en": "History"},
    "set_status": {"fr": "Changer le statut", "ar": "تغيير الحالة", "en": "Change status"},
    "resolve": {"fr": "Marquer comme résolue", "ar": "تحديد كمعالجة", "en": "Mark as resolved"},
    "personal_data": {"fr": "Données personnelles", "ar": "المعطيات الشخصية", "en": "Personal data"},
    "export": {"fr": "Exporter (JSON)", "ar": "تصدير (JSON)", "en": "Export (JSON)"},
    "erase": {"fr": "Effacer les données", "ar": "حذف المعطيات", "en": "Erase the data"},
    "erase_confirm": {
        "fr": "Effacer définitivement les données personnelles de cet investisseur et la conversation ?",
        "ar": "هل تريدون حذف المعطيات الشخصية لهذا المستثمر والمحادثة نهائيا؟",
        "en": "Permanently erase this investor's personal data and the conversation?",
    },
    "done_claimed": {"fr": "Demande prise en charge.", "ar": "تم التكفل بالطلب.", "en": "Case claimed."},
    "done_assigned": {"fr": "Demande attribuée.", "ar": "تم إسناد الطلب.", "en": "Case assigned."},
    "done_note": {"fr": "Note ajoutée.", "ar": "أضيفت الملاحظة.", "en": "Note added."},
    "done_status": {"fr": "Statut mis à jour.", "ar": "تم تحديث الحالة.", "en": "Status updated."},
    "done_live": {"fr": "Vous avez rejoint la conversation.", "ar": "انضممتم إلى المحادثة.", "en": "You joined the conversation."},
    "done_handback": {"fr": "L'assistant a repris la conversation.", "ar": "استأنف المساعد المحادثة.", "en": "The assistant took the conversation back."},
    "done_erased": {"fr": "Données effacées.", "ar": "تم حذف المعطيات.", "en": "Data erased."},
    "error_rasa": {
        "fr": "L'assistant (Rasa) est injoignable : réessayez dans un instant.",
        "ar": "المساعد (Rasa) غير متاح: حاولوا بعد قليل.",
        "en": "The assistant (Rasa) is unreachable: try again in a moment.",
    },
    "error_transition": {"fr": "Action impossible dans l'état actuel de la demande.", "ar": "الإجراء غير ممكن في الحالة الحالية للطلب.", "en": "Not possible in the case's current state."},
    "error_empty": {"fr": "Le texte est vide ou trop long (4000 caractères au plus).", "ar": "النص فارغ أو طويل جدا (4000 حرف على الأكثر).", "en": "The text is empty or too long (4000 characters at most)."},
    "not_found_title": {"fr": "Page introuvable", "ar": "الصفحة غير موجودة", "en": "Page not found"},
    "not_found_text": {"fr": "Cette page ou cette demande n'existe pas.", "ar": "هذه الصفحة أو هذا الطلب غير موجود.", "en": "This page or request does not exist."},
    "server_error_title": {"fr": "Erreur", "ar": "خطأ", "en": "Error"},
    "server_error_text": {"fr": "Une erreur est survenue. Réessayez.", "ar": "حدث خطأ. حاولوا مرة أخرى.", "en": "Something went wrong. Please try again."},
    "loading": {"fr": "Chargement…", "ar": "جار التحميل…", "en": "Loading…"},
    "updated_live": {"fr": "Mise à jour automatique toutes les 2 secondes", "ar": "تحديث تلقائي كل ثانيتين", "en": "Updates every 2 seconds"},
    "paused": {"fr": "assistant en pause", "ar": "المساعد متوقف", "en": "assistant paused"},
    "channel_rest": {"fr": "API (REST)", "ar": "واجهة برمجية (REST)", "en": "API (REST)"},
    "channel_socketio": {"fr": "Site web", "ar": "الموقع الإلكتروني", "en": "Website"},
    "channel_whatsapp": {"fr": "WhatsApp", "ar": "واتساب", "en": "WhatsApp"},
    "channel_twilio": {"fr": "WhatsApp (Twilio)", "ar": "واتساب (Twilio)", "en": "WhatsApp (Twilio)"},
    "summary": {"fr": "Demande", "ar": "الطلب", "en": "Request"},
    "waiting": {"fr": "Attente", "ar": "الانتظار", "en": "Waiting"},
    "waiting_explained": {
        "fr": "depuis le dernier message de l'investisseur resté sans réponse",
        "ar": "منذ آخر رسالة للمستثمر لم يرد عليها",
        "en": "since the investor's last unanswered message",
    },
    "waiting_minutes": {"fr": "{n} min", "ar": "{n} دقيقة", "en": "{n} min"},
    "waiting_hours": {"fr": "{n} h", "ar": "{n} ساعة", "en": "{n} h"},
    "waiting_days": {"fr": "{n} j", "ar": "{n} يوم", "en": "{n} d"},
    "overdue": {"fr": "Délai dépassé", "ar": "تجاوز الأجل", "en": "Overdue"},
    "overdue_explained": {
        "fr": "Attente au-delà du délai de réponse promis ({days} jours ouvrés).",
        "ar": "انتظار تجاوز أجل الرد الموعود ({days} أيام عمل).",
        "en": "Waiting past the promised response time ({days} working days).",
    },
    "sort_by": {"fr": "Trier par", "ar": "الترتيب حسب", "en": "Sort by"},
    "sort_waiting": {"fr": "Attente la plus longue", "ar": "أطول انتظار", "en": "Longest waiting"},
    "sort_newest": {"fr": "Plus récentes", "ar": "الأحدث", "en": "Newest"},
    "presence": {"fr": "Présence", "ar": "الحضور", "en": "Presence"},
    "presence_connected": {"fr": "Connecté maintenant", "ar": "متصل الآن", "en": "Connected now"},
    "presence_offline": {"fr": "Pas connecté", "ar": "غير متصل", "en": "Not connected"},
    "last_seen": {"fr": "Vu il y a {when}", "ar": "آخر ظهور منذ {when}", "en": "Last seen {when} ago"},
    "seen_just_now": {"fr": "Vu à l'instant", "ar": "ظهر قبل لحظات", "en": "Seen just now"},
    "never_seen": {"fr": "Jamais vu depuis la demande", "ar": "لم يظهر منذ الطلب", "en": "Not seen since the request"},
    "wa_window_open": {"fr": "Fenêtre WhatsApp de 24 h ouverte", "ar": "نافذة واتساب (24 ساعة) مفتوحة", "en": "WhatsApp 24-hour window open"},
    "wa_window_closed": {
        "fr": "Fenêtre WhatsApp de 24 h fermée : une réponse partira comme modèle approuvé",
        "ar": "نافذة واتساب (24 ساعة) مغلقة: سيرسل الرد كنموذج معتمد",
        "en": "WhatsApp 24-hour window closed: a reply goes out as the approved template",
    },
    "reply_via": {"fr": "Répondre à l'investisseur — {channel}", "ar": "الرد على المستثمر — {channel}", "en": "Reply to the investor — {channel}"},
    "via_socketio": {"fr": "sur le site web (fenêtre de discussion)", "ar": "على الموقع الإلكتروني (نافذة المحادثة)", "en": "on the website (chat window)"},
    "via_whatsapp": {"fr": "sur WhatsApp", "ar": "على واتساب", "en": "on WhatsApp"},
    "via_twilio": {"fr": "sur WhatsApp (Twilio)", "ar": "على واتساب (Twilio)", "en": "on WhatsApp (Twilio)"},
    "via_rest": {"fr": "par l'API (REST)", "ar": "عبر الواجهة البرمجية (REST)", "en": "through the API (REST)"},
    "reply_offline_note": {
        "fr": "L'investisseur n'est pas connecté : il verra la réponse à son retour sur le site.",
        "ar": "المستثمر غير متصل: سيرى الرد عند عودته إلى الموقع.",
        "en": "The investor is not connected: they will see the reply when they come back to the website.",
    },
    "reply_closed_note": {
        "fr": "Demande clôturée : rouvrez-la (statut) pour répondre.",
        "ar": "الطلب مغلق: أعيدوا فتحه (الحالة) للرد.",
        "en": "Case closed: reopen it (status) to reply.",
    },
    "error_reply_closed": {
        "fr": "Réponse refusée : la demande est clôturée ou résolue. Rouvrez-la (statut) avant de répondre.",
        "ar": "رفض الرد: الطلب مغلق أو تمت معالجته. أعيدوا فتحه (الحالة) قبل الرد.",
        "en": "Reply refused: the case is closed or resolved. Reopen it (status) before replying.",
    },
    "error_reply_erased": {
        "fr": "Réponse refusée : les données de l'investisseur ont été effacées.",
        "ar": "رفض الرد: تم حذف معطيات المستثمر.",
        "en": "Reply refused: the investor's data was erased.",
    },
    "new_messages": {"fr": "Nouveaux messages", "ar": "رسائل جديدة", "en": "New messages"},
    "jump_to_new": {"fr": "Voir les nouveaux messages ↓", "ar": "عرض الرسائل الجديدة ↓", "en": "Show new messages ↓"},
    "from_staff": {"fr": "Cellule", "ar": "الخلية", "en": "Unit"},
    "claimed_by": {"fr": "Pris en charge par {name}", "ar": "تكفل به(ا) {name}", "en": "Claimed by {name}"},
    "change_topic": {"fr": "Changer le sujet", "ar": "تغيير الموضوع", "en": "Change the topic"},
    "topic_none": {"fr": "Non classé", "ar": "غير مصنف", "en": "Not classified"},
    "done_topic": {"fr": "Sujet modifié.", "ar": "تم تغيير الموضوع.", "en": "Topic changed."},
    "event_topic": {"fr": "sujet modifié", "ar": "تغيير الموضوع", "en": "topic changed"},
    "event_created": {"fr": "demande créée", "ar": "إنشاء الطلب", "en": "request created"},
    "event_claimed": {"fr": "prise en charge", "ar": "التكفل بالطلب", "en": "claimed"},
    "event_assigned": {"fr": "attribuée", "ar": "إسناد الطلب", "en": "assigned"},
    "event_note": {"fr": "note ajoutée", "ar": "إضافة ملاحظة", "en": "note added"},
    "event_reply": {"fr": "réponse envoyée", "ar": "إرسال رد", "en": "reply sent"},
    "event_status": {"fr": "statut modifié", "ar": "تغيير الحالة", "en": "status changed"},
    "event_live_start": {"fr": "conversation prise en direct", "ar": "تولي المحادثة مباشرة", "en": "conversation taken live"},
    "event_live_end": {"fr": "main rendue à l'assistant", "ar": "إعادة المحادثة إلى المساعد", "en": "handed back to the assistant"},
    "event_exported": {"fr": "données exportées", "ar": "تصدير المعطيات", "en": "data exported"},
    "event_erased": {"fr": "données effacées", "ar": "حذف المعطيات", "en": "data erased"},
    # case requests set aside from the spool (assistant/cases/rejections.py)
    "spool_banner": {
        "fr": "{count} demande(s) d'investisseur n'ont pas pu être enregistrées et ont été mises de côté.",
        "ar": "تعذر تسجيل {count} من طلبات المستثمرين فوُضعت جانبا.",
        "en": "{count} investor request(s) could not be stored and were set aside.",
    },
    "spool_banner_link": {"fr": "Voir et traiter", "ar": "الاطلاع والمعالجة", "en": "Review them"},
    "phone": {"fr": "Téléphone", "ar": "الهاتف", "en": "Phone"},
    "spool_title": {"fr": "Demandes mises de côté", "ar": "الطلبات الموضوعة جانبا", "en": "Requests set aside"},
    "spool_intro": {
        "fr": "La base de données a refusé définitivement ces demandes : elles ne sont plus réessayées. "
              "Recréez le dossier à la main si besoin, contactez l'investisseur, puis marquez la demande comme traitée.",
        "ar": "رفضت قاعدة المعطيات هذه الطلبات نهائيا ولن تُعاد محاولة تسجيلها. "
              "أنشئوا الملف يدويا عند الحاجة، واتصلوا بالمستثمر، ثم علّموا الطلب كمعالج.",
        "en": "The database refused these requests for good: they are no longer retried. "
              "Re-create the case by hand if needed, contact the investor, then mark the request handled.",
    },
    "spool_none": {"fr": "Aucune demande mise de côté.", "ar": "لا توجد طلبات موضوعة جانبا.", "en": "No request set aside."},
    "spool_rejected_at": {"fr": "Mise de côté le", "ar": "وُضعت جانبا في", "en": "Set aside on"},
    "spool_reason": {"fr": "Raison technique", "ar": "السبب التقني", "en": "Technical reason"},
    "spool_request": {"fr": "Demande", "ar": "الطلب", "en": "Request"},
    "spool_dismiss": {"fr": "Marquer comme traitée", "ar": "تعليم كمعالج", "en": "Mark handled"},
    "spool_waiting_file": {
        "fr": "En attente sur ce serveur (pas encore dans la base de données)",
        "ar": "في الانتظار على هذا الخادم (لم تُسجَّل بعد في قاعدة المعطيات)",
        "en": "Waiting on this server (not yet in the database)",
    },
    "done_spool_dismissed": {"fr": "Demande marquée comme traitée.", "ar": "تم تعليم الطلب كمعالج.", "en": "Request marked handled."},
}

for _table in TABLES:
    STRINGS.update({k: v for k, v in load_table(_table).items() if k not in STRINGS})


def t(language: str, key: str, **values: object) -> str:
    lang = coerce_language(language)
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def catalog(language: str) -> dict[str, str]:
    """Every string in one language (passed to templates and to the console's script)."""
    lang = coerce_language(language)
    return {key: texts[lang] for key, texts in STRINGS.items()}


__all__ = ["LANGUAGES", "STRINGS", "catalog", "t"]
