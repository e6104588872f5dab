/**
 * Mail: a pluggable transport, and the registry's messages in the six UN languages. The default
 * transport writes each message to the `outbox` table; a sender process (or an operator) delivers
 * the rows and sets `sent_at`. An SMTP or API transport implements the same one method.
 *
 * Messages are plain text: nothing in them is interpreted as markup, and no user-supplied text
 * goes into a subject (a header).
 */
import type { Queryable } from './db.ts';
import type { Lang } from './model.ts';

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

export interface MailTransport {
  send(msg: MailMessage): Promise<void>;
}

/** The default transport: one row in `outbox` per message. */
export function outboxTransport(db: Queryable): MailTransport {
  return {
    async send(msg) {
      await db.query('INSERT INTO outbox (to_address, subject, body) VALUES ($1, $2, $3)', [
        msg.to,
        msg.subject,
        msg.body,
      ]);
    },
  };
}

interface ResetText {
  subject: string;
  body: (name: string, link: string) => string;
}

// Arabic and Chinese bodies keep the link on its own line (left to right inside right-to-left
// text reads correctly that way); French puts a no-break space before its colons.
const RESET: Record<Lang, ResetText> = {
  en: {
    subject: 'Reset your Pontis password',
    body: (name, link) =>
      `Hello ${name},\n\n` +
      'Someone (we hope you) asked to reset the password of your Pontis account. ' +
      'To choose a new password, open this link within one hour:\n\n' +
      `${link}\n\n` +
      'The link works only once. If you did not ask for this, ignore this message: your password stays as it is.\n',
  },
  fr: {
    subject: 'Réinitialiser votre mot de passe Pontis',
    body: (name, link) =>
      `Bonjour ${name},\n\n` +
      'Quelqu’un (vous, nous l’espérons) a demandé la réinitialisation du mot de passe de votre compte Pontis. ' +
      'Pour choisir un nouveau mot de passe, ouvrez ce lien dans l’heure qui suit\u00a0:\n\n' +
      `${link}\n\n` +
      'Le lien ne fonctionne qu’une seule fois. Si vous n’êtes pas à l’origine de cette demande, ignorez ce message\u00a0: ' +
      'votre mot de passe reste inchangé.\n',
  },
  es: {
    subject: 'Restablezca su contraseña de Pontis',
    body: (name, link) =>
      `Hola, ${name}:\n\n` +
      'Alguien (esperamos que usted) ha solicitado restablecer la contraseña de su cuenta de Pontis. ' +
      'Para elegir una contraseña nueva, abra este enlace en el plazo de una hora:\n\n' +
      `${link}\n\n` +
      'El enlace solo funciona una vez. Si usted no ha hecho esta solicitud, ignore este mensaje: ' +
      'su contraseña no cambiará.\n',
  },
  ru: {
    subject: 'Сброс пароля Pontis',
    body: (name, link) =>
      `Здравствуйте, ${name}!\n\n` +
      'Кто-то (надеемся, что вы) запросил сброс пароля вашей учётной записи Pontis. ' +
      'Чтобы задать новый пароль, откройте эту ссылку в течение часа:\n\n' +
      `${link}\n\n` +
      'Ссылка действует только один раз. Если вы не запрашивали сброс пароля, просто проигнорируйте это письмо: ' +
      'ваш пароль останется прежним.\n',
  },
  zh: {
    subject: '重置您的 Pontis 密码',
    body: (name, link) =>
      `${name}，您好：\n\n` +
      '有人（希望是您本人）请求重置您的 Pontis 账户密码。请在一小时内打开以下链接，设置新密码：\n\n' +
      `${link}\n\n` +
      '该链接只能使用一次。如果您没有提出此请求，请忽略本邮件，您的密码将保持不变。\n',
  },
  ar: {
    subject: 'إعادة تعيين كلمة المرور في Pontis',
    body: (name, link) =>
      `مرحبًا ${name}،\n\n` +
      'طلب أحدهم (ونأمل أن تكون أنت) إعادة تعيين كلمة المرور لحسابك في Pontis. ' +
      'لاختيار كلمة مرور جديدة، افتح هذا الرابط في غضون ساعة واحدة:\n\n' +
      `${link}\n\n` +
      'لا يعمل هذا الرابط إلا مرة واحدة. إذا لم تطلب ذلك، فتجاهل هذه الرسالة، وستبقى كلمة المرور كما هي.\n',
  },
};

/** The password-reset mail in `lang`, with the link (valid for one hour, once). */
export function passwordResetMail(
  lang: Lang,
  o: { to: string; displayName: string; link: string },
): MailMessage {
  const t = RESET[lang] ?? RESET.en;
  return { to: o.to, subject: t.subject, body: t.body(o.displayName, o.link) };
}
