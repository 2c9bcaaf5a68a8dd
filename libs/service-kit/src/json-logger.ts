// Structured JSON logs, one object per line, carrying the correlation id of the request or message being handled.
import { LoggerService } from '@nestjs/common';
import { errorSummary } from '@agdar/messaging';
import { currentContext } from './request-context';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  log(message: unknown, context?: string): void {
    this.emit('info', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.emit('warn', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.emit('error', message, context, trace);
  }
  debug(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }

  private emit(level: LogLevel, message: unknown, context?: string, trace?: string): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      context,
      msg: message instanceof Error ? errorSummary(message) : message,
    };
    const correlationId = currentContext()?.correlationId;
    if (correlationId) entry.correlationId = correlationId;
    if (trace) entry.trace = trace;
    this.write(JSON.stringify(entry));
  }
}
