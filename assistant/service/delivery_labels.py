"""What the console says of a staff reply's delivery (states in assistant/contract.py), fr/ar/en.

`delivery_key(status, note)` names the string; the case page (template and script) and the
JSON API use the same key, so they never disagree; `delivery_label` fills in the number of
tries of a reply the channel refused (retried until accepted or REPLY_GIVE_UP_HOURS). "Delivered" only for a reply the
investor's widget showed or WhatsApp/Twilio reported delivered/read.
"""

from __future__ import annotations

from typing import Final

from assistant.contract import (
    REPLY_DELIVERED,
    REPLY_FAILED,
    REPLY_PENDING,
    REPLY_SENT,
    REPLY_STORED,
)


def delivery_key(status: str, note: str | None) -> str:
    if status == REPLY_DELIVERED:
        return "delivery_read" if note == "read" else "delivery_delivered"
    if status == REPLY_SENT:
        return "delivery_template" if note == "whatsapp_template" else "delivery_sent"
    if status == REPLY_STORED:
        return "delivery_stored"
    if status == REPLY_FAILED:
        return "delivery_cannot_push" if note == "channel_cannot_push" else "delivery_failed"
    if status == REPLY_PENDING and note in ("channel_refused", "channel_error"):
        return "delivery_retrying"
    return "delivery_queued"


def delivery_label(strings: dict[str, str], key: str, attempts: int | None) -> str:
    """The label of `key` in the catalog `strings`; a retrying reply says how many tries it had
    (the number isolated, for Arabic). The case page's script does the same (case.js)."""
    return strings.get(key, key).replace("{tries}", "\u2068" + str(attempts or 0) + "\u2069")


def reply_flash_key(status: str, note: str | None) -> str:
    """The notice after sending a reply from the case page."""
    return {
        "delivery_read": "reply_delivered",
        "delivery_delivered": "reply_delivered",
        "delivery_sent": "reply_sent",
        "delivery_template": "reply_template",
        "delivery_stored": "reply_stored",
        "delivery_cannot_push": "delivery_cannot_push",
        "delivery_failed": "reply_failed",
        "delivery_retrying": "reply_retrying",
    }.get(delivery_key(status, note), "reply_queued")


STRINGS: Final[dict[str, dict[str, str]]] = {
    "delivery_queued": {"fr": "en file d'envoi", "ar": "في قائمة الإرسال", "en": "queued"},
    "delivery_retrying": {
        "fr": "nouvel essai automatique : le canal a refusé l'envoi, essais : {tries}",
        "ar": "إعادة المحاولة تلقائيا: رفضت القناة الإرسال، عدد المحاولات: {tries}",
        "en": "retrying: the channel refused it, tries: {tries}",
    },
    "delivery_stored": {
        "fr": "en attente : l'investisseur n'est pas connecté, il la verra à son retour",
        "ar": "في الانتظار: المستثمر غير متصل، سيراها عند عودته",
        "en": "waiting: the investor is not connected, they will see it when they come back",
    },
    "delivery_sent": {"fr": "envoyée", "ar": "أرسلت", "en": "sent"},
    "delivery_template": {"fr": "envoyée comme modèle WhatsApp", "ar": "أرسلت كنموذج واتساب", "en": "sent as a WhatsApp template"},
    "delivery_delivered": {"fr": "remise", "ar": "وصلت", "en": "delivered"},
    "delivery_read": {"fr": "lue", "ar": "قرئت", "en": "read"},
    "delivery_failed": {
        "fr": "échec : non remise après plusieurs essais",
        "ar": "فشل: لم تصل بعد عدة محاولات",
        "en": "failed: not delivered after several tries",
    },
    "delivery_cannot_push": {
        "fr": "non remise : ce canal ne peut pas recevoir de message",
        "ar": "لم تصل: هذه القناة لا تستقبل الرسائل",
        "en": "not delivered: this channel cannot receive messages",
    },
    "resend": {"fr": "Renvoyer", "ar": "إعادة الإرسال", "en": "Resend"},
    "done_resent": {
        "fr": "Réponse remise en file d'envoi.",
        "ar": "أعيد الرد إلى قائمة الإرسال.",
        "en": "Reply queued again.",
    },
    "error_not_failed": {
        "fr": "Seule une réponse en échec peut être renvoyée.",
        "ar": "لا يمكن إعادة إرسال إلا رد فشل إرساله.",
        "en": "Only a failed reply can be sent again.",
    },
    "reply_sent": {"fr": "Réponse envoyée.", "ar": "تم إرسال الرد.", "en": "Reply sent."},
    "reply_delivered": {"fr": "Réponse remise.", "ar": "وصل الرد.", "en": "Reply delivered."},
    "reply_stored": {
        "fr": "L'investisseur n'est pas connecté : la réponse s'affichera à son retour.",
        "ar": "المستثمر غير متصل: سيظهر الرد عند عودته.",
        "en": "The investor is not connected: the reply will show when they come back.",
    },
    "reply_queued": {
        "fr": "L'assistant est injoignable : la réponse est en file et sera envoyée automatiquement.",
        "ar": "المساعد غير متاح: الرد في الانتظار وسيرسل تلقائيا.",
        "en": "The assistant is unreachable: the reply is queued and will be sent automatically.",
    },
    "reply_retrying": {
        "fr": "Le canal a refusé l'envoi : nouvel essai automatique.",
        "ar": "رفضت القناة الإرسال: محاولة جديدة تلقائية.",
        "en": "The channel refused the reply: it will be retried automatically.",
    },
    "reply_failed": {
        "fr": "La réponse n'a pas pu être remise : renvoyez-la plus tard.",
        "ar": "تعذر إيصال الرد: أعيدوا إرساله لاحقا.",
        "en": "The reply could not be delivered: resend it later.",
    },
    "reply_template": {
        "fr": "La fenêtre de 24 h de WhatsApp était fermée : la réponse est partie sous forme de modèle approuvé.",
        "ar": "نافذة 24 ساعة في واتساب كانت مغلقة: أرسل الرد في شكل نموذج معتمد.",
        "en": "WhatsApp's 24-hour window had closed: the reply went out as the approved template.",
    },
}
