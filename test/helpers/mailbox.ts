import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The text of the message, quoted-printable decoded. */
  text: string;
  subject: string;
}

/** A local SMTP server for tests: keeps every message it receives. */
export interface Mailbox {
  url: string;
  messages: ReceivedMail[];
  /** The links in the mails sent to `to`, oldest first. */
  linksTo(to: string): string[];
  /** Refuses the next `count` messages with a temporary SMTP error (451). */
  failNext(count: number): void;
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startMailbox(): Promise<Mailbox> {
  const messages: ReceivedMail[] = [];
  let failures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (failures > 0) {
          failures--;
          callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const text = decodeQuotedPrintable(raw);
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? "";
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text, subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    linksTo: (to) => messages.filter((m) => m.to.includes(to)).flatMap((m) => m.text.match(/https?:\/\/\S+/g) ?? []),
    failNext: (count) => {
      failures = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
