// What a sender needs from a channel: hand a message over, and say whether a failure is worth another try.

/** A send the provider refused or that could not reach it. `permanent`: trying again would be refused the same way. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The provider's answer, as it gave it (an SMTP reply, an HTTP status and body), for the delivery log. */
    readonly providerAnswer: string | null,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

/** The provider accepted the message: its id for it and its answer. */
export interface Accepted {
  messageId: string | null;
  providerAnswer: string;
}
