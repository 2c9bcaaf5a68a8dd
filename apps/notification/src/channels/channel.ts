// What a sender needs from a channel: hand a message over, and say whether a failure is worth another try.

/**
 * A send the provider refused or that could not reach it. `permanent`: trying again would be refused the same way.
 * `maybeDelivered`: the message was handed over and the answer never came (a timeout mid-transfer, a reset), so it may
 * have arrived; such a message is never sent again (UNCERTAIN in the delivery log).
 */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The provider's answer, as it gave it (an SMTP reply, an HTTP status and body), for the delivery log. */
    readonly providerAnswer: string | null,
    readonly maybeDelivered = false,
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

/** Runs `send`, giving up (as perhaps delivered) after `ms`: no send outlives the lease that makes it ours. */
export async function withinDeadline<T>(send: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SendFailure(`${what} did not answer within ${Math.round(ms / 1000)} s`, false, null, true)),
      ms,
    );
  });
  try {
    return await Promise.race([send, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
