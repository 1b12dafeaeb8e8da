"""Strings of the staff console and of the service's error pages, in fr, ar and en.

A test fails if a string lacks a language. `t(language, key, **values)` renders one.
"""

from __future__ import annotations

from typing import Final

from assistant.insights.strings import STRINGS as INSIGHTS_STRINGS
from assistant.languages import LANGUAGES, coerce_language

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
    "reply_sent": {"fr": "Réponse envoyée.", "ar": "تم إرسال الرد.", "en": "Reply sent."},
    "reply_queued": {
        "fr": "L'assistant est injoignable : la réponse est en file et sera envoyée automatiquement.",
        "ar": "المساعد غير متاح: الرد في الانتظار وسيرسل تلقائيا.",
        "en": "The assistant is unreachable: the reply is queued and will be sent automatically.",
    },
    "reply_template": {
        "fr": "La fenêtre de 24 h de WhatsApp était fermée : la réponse est partie sous forme de modèle approuvé.",
        "ar": "نافذة 24 ساعة في واتساب كانت مغلقة: أرسل الرد في شكل نموذج معتمد.",
        "en": "WhatsApp's 24-hour window had closed: the reply went out as the approved template.",
    },
    "delivery_pending": {"fr": "en attente d'envoi", "ar": "في انتظار الإرسال", "en": "waiting to be sent"},
    "delivery_delivered": {"fr": "envoyée", "ar": "أرسلت", "en": "sent"},
    "delivery_template": {"fr": "envoyée comme modèle WhatsApp", "ar": "أرسلت كنموذج واتساب", "en": "sent as a WhatsApp template"},
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
}

STRINGS.update({k: v for k, v in INSIGHTS_STRINGS.items() if k not in STRINGS})  # insights pages (#14)


def t(language: str, key: str, **values: object) -> str:
    lang = coerce_language(language)
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def catalog(language: str) -> dict[str, str]:
    """Every string in one language (passed to templates and to the console's script)."""
    lang = coerce_language(language)
    return {key: texts[lang] for key, texts in STRINGS.items()}


__all__ = ["LANGUAGES", "STRINGS", "catalog", "t"]
