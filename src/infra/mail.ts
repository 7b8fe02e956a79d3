import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type { MailMessage, MailTransport } from "../domain/mail/mail.js";
import type { Logger } from "./logger.js";

/** nodemailer is loaded with the first mail, not at start-up. */
const loadNodemailer = async () => (await import("nodemailer")).default;

/** SMTP through nodemailer (`SMTP_URL`, e.g. smtps://user:pass@smtp.example.com:465). */
export function smtpTransport(url: string, from: string): MailTransport {
  let transporter: Promise<Transporter> | undefined;
  const connect = () => (transporter ??= loadNodemailer().then((nodemailer) => nodemailer.createTransport(url)));
  return {
    async send(message) {
      await (await connect()).sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
    async close() {
      (await transporter)?.close();
    },
  };
}

/**
 * For development without a mail server: each message becomes a file under `DATA_DIR/mail/` (the
 * whole message as nodemailer would send it, .eml) and its link is logged, so a developer can click it.
 */
export function fileTransport(directory: string, from: string, logger: Logger): MailTransport {
  let builder: Promise<Transporter> | undefined;
  const build = () =>
    (builder ??= loadNodemailer().then((nodemailer) =>
      nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
    ));
  return {
    async send(message: MailMessage) {
      const info = await (await build()).sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      await mkdir(directory, { recursive: true });
      const file = path.join(
        directory,
        `${new Date().toISOString().replace(/[:.]/g, "-")}-${Math.random().toString(36).slice(2, 8)}.eml`,
      );
      await writeFile(file, info.message as Buffer);
      logger.info("mail written", { to: message.to, subject: message.subject, file, link: message.link });
    },
  };
}
