/**
 * The widget's own interface strings, in every language the assistant speaks.
 *
 * `Strings` is one interface, so the compiler rejects a language missing a string.
 * `{count}` and `{max}` are filled by `format()`.
 */

export const LANGUAGES = ["fr", "ar", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Strings {
  /** The language's own name, shown in the picker. */
  languageName: string;
  dir: "ltr" | "rtl";
  launcher: string;
  unread: string;
  title: string;
  subtitle: string;
  close: string;
  restart: string;
  restartConfirm: string;
  languagePicker: string;
  log: string;
  welcome: string;
  youSaid: string;
  botSaid: string;
  replies: string;
  inputLabel: string;
  placeholder: string;
  send: string;
  inputHelp: string;
  counter: string;
  limitReached: string;
  typing: string;
  slow: string;
  connecting: string;
  offline: string;
  unreachable: string;
  online: string;
  queued: string;
  /** The server could not take the message (a service down); it is sent again by itself. */
  turnUnavailable: string;
  /** The server failed on the message (an internal error); it is sent again by itself. */
  turnFailed: string;
  newTab: string;
  image: string;
  /** Shown under an advisor's name on their messages. */
  agentRole: string;
  /** Read before a notice (an advisor joined or left). */
  noticeSaid: string;
  /** The header while a person holds the conversation; {agent} is their name. */
  agentAnswering: string;
  /** The header's note when the conversation is paused and the advisor's name is unknown. */
  agentAnsweringUnnamed: string;
}

export const STRINGS: Record<Language, Strings> = {
  fr: {
    languageName: "Français",
    dir: "ltr",
    launcher: "Une question ?",
    unread: "{count} nouveau(x) message(s)",
    title: "Investir au Maroc",
    subtitle: "Assistant d'orientation des Marocains du monde",
    close: "Fermer la discussion",
    restart: "Effacer la conversation",
    restartConfirm: "Effacer cette conversation de cet appareil et en commencer une nouvelle ?",
    languagePicker: "Langue de la conversation",
    log: "Messages de la conversation",
    welcome:
      "Bonjour ! Posez-moi vos questions sur la création d'entreprise au Maroc : formes juridiques, démarches, fiscalité, financements.",
    youSaid: "Vous :",
    botSaid: "L'assistant :",
    replies: "Réponses suggérées",
    inputLabel: "Votre message",
    placeholder: "Écrivez votre question…",
    send: "Envoyer",
    inputHelp: "Entrée pour envoyer, Maj+Entrée pour aller à la ligne, Échap pour fermer.",
    counter: "{count} / {max} caractères",
    limitReached: "Limite de {max} caractères atteinte : le texte au-delà n'est pas pris en compte.",
    typing: "L'assistant écrit…",
    slow: "L'assistant met du temps à répondre. Réessayez dans un instant.",
    connecting: "Connexion à l'assistant…",
    offline: "Connexion perdue. Reconnexion en cours…",
    unreachable: "Impossible de joindre l'assistant. Nouvelle tentative en cours…",
    online: "Connexion rétablie.",
    queued: "Votre message sera envoyé dès le retour de la connexion.",
    turnUnavailable: "L'assistant est momentanément indisponible. Votre message sera renvoyé automatiquement.",
    turnFailed: "Une erreur a empêché de traiter votre message. Il sera renvoyé automatiquement.",
    newTab: "(s'ouvre dans un nouvel onglet)",
    image: "Image envoyée par l'assistant",
    agentRole: "conseiller·ère de la cellule",
    noticeSaid: "Information :",
    agentAnswering: "Un conseiller vous répond : {agent}",
    agentAnsweringUnnamed: "Un conseiller de la cellule vous répond",
  },
  ar: {
    languageName: "العربية",
    dir: "rtl",
    launcher: "لديكم سؤال؟",
    unread: "رسائل جديدة: {count}",
    title: "الاستثمار بالمغرب",
    subtitle: "مساعد توجيه مغاربة العالم",
    close: "إغلاق المحادثة",
    restart: "مسح المحادثة",
    restartConfirm: "هل تريدون مسح هذه المحادثة من هذا الجهاز وبدء محادثة جديدة؟",
    languagePicker: "لغة المحادثة",
    log: "رسائل المحادثة",
    welcome: "مرحبا! اطرحوا أسئلتكم حول إنشاء مقاولة بالمغرب: الأشكال القانونية، والإجراءات، والضرائب، والتمويل.",
    youSaid: "أنتم:",
    botSaid: "المساعد:",
    replies: "ردود مقترحة",
    inputLabel: "رسالتكم",
    placeholder: "اكتبوا سؤالكم…",
    send: "إرسال",
    inputHelp: "مفتاح Enter للإرسال، وShift+Enter لسطر جديد، وEsc للإغلاق.",
    counter: "{count} / {max} حرف",
    limitReached: "تم بلوغ الحد الأقصى ({max} حرف): لا يؤخذ النص الزائد بعين الاعتبار.",
    typing: "المساعد يكتب…",
    slow: "المساعد يتأخر في الرد. أعيدوا المحاولة بعد لحظة.",
    connecting: "جارٍ الاتصال بالمساعد…",
    offline: "انقطع الاتصال. جارٍ إعادة الاتصال…",
    unreachable: "تعذر الاتصال بالمساعد. جارٍ إعادة المحاولة…",
    online: "عاد الاتصال.",
    queued: "سترسل رسالتكم فور عودة الاتصال.",
    turnUnavailable: "المساعد غير متاح مؤقتا. ستعاد رسالتكم تلقائيا.",
    turnFailed: "حال خطأ دون معالجة رسالتكم. ستعاد تلقائيا.",
    newTab: "(يفتح في علامة تبويب جديدة)",
    image: "صورة أرسلها المساعد",
    agentRole: "مستشار(ة) الخلية",
    noticeSaid: "معلومة:",
    agentAnswering: "مستشار يجيبكم: {agent}",
    agentAnsweringUnnamed: "مستشار من الخلية يجيبكم",
  },
  en: {
    languageName: "English",
    dir: "ltr",
    launcher: "Questions?",
    unread: "{count} new message(s)",
    title: "Invest in Morocco",
    subtitle: "Guidance assistant for Moroccans abroad",
    close: "Close the chat",
    restart: "Clear the conversation",
    restartConfirm: "Clear this conversation from this device and start a new one?",
    languagePicker: "Conversation language",
    log: "Conversation messages",
    welcome: "Hello! Ask me about creating a business in Morocco: legal forms, procedures, taxes, financing.",
    youSaid: "You:",
    botSaid: "Assistant:",
    replies: "Suggested replies",
    inputLabel: "Your message",
    placeholder: "Type your question…",
    send: "Send",
    inputHelp: "Enter to send, Shift+Enter for a new line, Escape to close.",
    counter: "{count} / {max} characters",
    limitReached: "{max}-character limit reached: text beyond it is not kept.",
    typing: "The assistant is typing…",
    slow: "The assistant is taking a while to answer. Please try again in a moment.",
    connecting: "Connecting to the assistant…",
    offline: "Connection lost. Reconnecting…",
    unreachable: "Cannot reach the assistant. Retrying…",
    online: "Connected again.",
    queued: "Your message will be sent as soon as the connection is back.",
    turnUnavailable: "The assistant is temporarily unavailable. Your message will be sent again automatically.",
    turnFailed: "An error prevented your message from being processed. It will be sent again automatically.",
    newTab: "(opens in a new tab)",
    image: "Image sent by the assistant",
    agentRole: "guidance unit adviser",
    noticeSaid: "Notice:",
    agentAnswering: "An adviser is answering: {agent}",
    agentAnsweringUnnamed: "An adviser from the unit is answering",
  },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The first supported language among the candidates (e.g. "ar-MA" gives "ar"). */
export function pickLanguage(candidates: readonly (string | null | undefined)[], fallback: Language): Language {
  for (const candidate of candidates) {
    const base = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return fallback;
}

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
