import type { Db } from "../../infra/db.js";
import { type LinkSettings, linkToken, linkUrl } from "../customers/links.js";
import type { MailMessage, MailTransport } from "./mail.js";

/** What the account-mail job needs: the link settings (key, public URL) and a transport. */
export interface AuthMailSettings {
  links: LinkSettings;
  transport: MailTransport;
}

/** The message of a link, in plain words; the link is the whole point of it. */
export function authLinkMessage(purpose: string, to: string, storeName: string, url: string): MailMessage {
  switch (purpose) {
    case "reset":
      return {
        to,
        subject: `Reset your password for ${storeName}`,
        text: `Someone asked to reset the password of your ${storeName} account.\n\nReset it here (the link works once, for one hour):\n${url}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
        link: url,
      };
    case "claim":
      return {
        to,
        subject: `Confirm your email to activate your ${storeName} account`,
        text: `Someone signed up at ${storeName} with this address, where you already have a customer account.\n\nConfirm it is you and activate the account with the password you chose (the link works once, for one day):\n${url}\n\nIf it was not you, ignore this mail: nothing changes.\n`,
        link: url,
      };
    default:
      return {
        to,
        subject: `Verify your email for ${storeName}`,
        text: `Welcome to ${storeName}.\n\nVerify your email address here (the link works once, for one day):\n${url}\n`,
        link: url,
      };
  }
}

/**
 * Sends the mail of a link row. The token is signed again here from the row (the job payload holds only
 * the row's id); a link already used or expired is not sent. A transport failure throws, so the job
 * queue retries it with backoff.
 */
export async function sendAuthLinkMail(prisma: Db, settings: AuthMailSettings, linkId: string): Promise<void> {
  const link = await prisma.customerAuthLink.findUnique({ where: { id: linkId } });
  if (!link || link.usedAt || link.expiresAt <= new Date()) return;
  const store = await prisma.store.findUnique({ where: { id: link.storeId }, select: { name: true } });
  const url = linkUrl(settings.links, link, await linkToken(settings.links.key, link));
  await settings.transport.send(authLinkMessage(link.purpose, link.email, store?.name ?? "our shop", url));
}
