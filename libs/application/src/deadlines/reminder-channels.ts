import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '@app/platform/config';

export type ChannelName = 'log' | 'email';

/** Someone a reminder or digest is for: a user, or the unit itself when it has no user to reach. */
export interface Recipient {
  /** Username, or `unit:{code}` when nobody of the unit has an account. */
  id: string;
  displayName: string;
}

export interface Message {
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface Route {
  channel: ChannelName;
  address: string | null;
}

/**
 * Where a message goes: e-mail when SMTP is configured and the recipient has an address (a username
 * that is one, or username@REMINDER_EMAIL_DOMAIN), the log otherwise.
 */
@Injectable()
export class ReminderChannels implements OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private readonly mail?: Transporter;

  constructor(private readonly config: AppConfig) {
    if (config.SMTP_URL) this.mail = createTransport(config.SMTP_URL);
  }

  route(recipient: Recipient): Route {
    const address = this.mail ? this.addressOf(recipient) : null;
    return address ? { channel: 'email', address } : { channel: 'log', address: null };
  }

  async deliver(route: Route, recipient: Recipient, message: Message): Promise<void> {
    if (route.channel === 'email' && this.mail && route.address) {
      await this.mail.sendMail({
        from: this.config.SMTP_FROM ?? 'skills-ledger@localhost',
        to: { name: recipient.displayName, address: route.address },
        subject: message.subject,
        text: message.text,
        attachments: message.attachments,
      });
      return;
    }
    this.logger.log({
      msg: 'reminder',
      recipient: recipient.id,
      subject: message.subject,
      text: message.text,
    });
  }

  onApplicationShutdown(): void {
    this.mail?.close();
  }

  private addressOf(recipient: Recipient): string | null {
    if (recipient.id.startsWith('unit:')) return null;
    if (recipient.id.includes('@')) return recipient.id;
    const domain = this.config.REMINDER_EMAIL_DOMAIN;
    return domain ? `${recipient.id}@${domain}` : null;
  }
}
