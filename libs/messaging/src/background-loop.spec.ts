import { BackgroundLoop } from './background-loop';

const logger = () => {
  const lines: string[] = [];
  return {
    lines,
    log: (m: string) => void lines.push(`log ${m}`),
    warn: (m: string) => void lines.push(`warn ${m}`),
    error: (m: string) => void lines.push(`error ${m}`),
  };
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a background loop', () => {
  it('starts once however often it is started, and waits for what it is told to wait for', async () => {
    let rounds = 0;
    let ready!: () => void;
    const loop = new BackgroundLoop(async () => (rounds++, false), {
      name: 'test loop',
      task: 'work',
      logger: logger(),
      idleMs: 1000,
    });
    loop.start(new Promise<void>((r) => (ready = r)));
    loop.start();
    await tick(20);
    expect(rounds).toBe(0);
    ready();
    await tick(20);
    expect(rounds).toBe(1);
    await loop.stop();
  });

  it('runs the next round at once while rounds find work, and idles when one finds none', async () => {
    let rounds = 0;
    const loop = new BackgroundLoop(async () => ++rounds < 5, {
      name: 'test loop',
      task: 'work',
      logger: logger(),
      idleMs: 10_000,
    });
    loop.start();
    await tick(50);
    expect(rounds).toBe(5);
    await loop.stop();
  });

  it('warns once per distinct failure, backs off, and says when it works again', async () => {
    const log = logger();
    let rounds = 0;
    const loop = new BackgroundLoop(
      async () => {
        rounds++;
        if (rounds <= 3) throw new Error('connection refused\n    at somewhere (file.ts:1)');
        return false;
      },
      { name: 'test loop', task: 'reach the database', logger: log, idleMs: 1, retryMs: 20 },
    );
    loop.start();
    await tick(30);
    // Backing off: not one round per millisecond while failing.
    expect(rounds).toBeLessThanOrEqual(3);
    await tick(80);
    await loop.stop();
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual([
      'warn test loop cannot reach the database (connection refused); retrying every 0.02 s',
    ]);
    expect(log.lines).toContain('log test loop is working again');
  });

  it('wakes early on a nudge, and a burst of nudges makes one round', async () => {
    let rounds = 0;
    const loop = new BackgroundLoop(async () => (rounds++, false), {
      name: 'test loop',
      task: 'work',
      logger: logger(),
      idleMs: 60_000,
      nudgeDelayMs: 5,
    });
    loop.start();
    await tick(10);
    expect(rounds).toBe(1);
    for (let i = 0; i < 10; i++) loop.nudge();
    await tick(30);
    expect(rounds).toBe(2);
    await loop.stop();
  });

  it('stops after the round in flight has finished, and runs no other', async () => {
    let finished = 0;
    let started = 0;
    const loop = new BackgroundLoop(
      async () => {
        started++;
        await tick(40);
        finished++;
        return true;
      },
      { name: 'test loop', task: 'work', logger: logger(), idleMs: 1 },
    );
    loop.start();
    await tick(10);
    await loop.stop();
    expect({ started, finished }).toEqual({ started: 1, finished: 1 });
    loop.nudge();
    await tick(20);
    expect(started).toBe(1);
  });
});
