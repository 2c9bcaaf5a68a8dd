// Requests per caller per minute (fixed window in Redis), after authentication. If Redis is down the gateway keeps
// serving: losing the limiter for a while is better than refusing every clinic.
import { CanActivate, ExecutionContext } from '@nestjs/common';
import Redis from 'ioredis';
import { AuthUser, DomainError, JsonLogger } from '@agdar/service-kit';

export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly redis: Redis,
    private readonly perMinute: number,
    private readonly logger: JsonLogger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const user: AuthUser | undefined = request.user;
    if (!user) return true;
    const window = Math.floor(Date.now() / 60000);
    const key = `ratelimit:${user.tenant}:${user.sub}:${window}`;
    let count: number;
    try {
      count = await this.redis.incr(key);
      if (count === 1) await this.redis.expire(key, 61); // the window's first request starts its clock
    } catch (error) {
      this.logger.warn(
        `rate limiter unavailable, letting the request through: ${(error as Error).message}`,
        'RateLimitGuard',
      );
      return true;
    }
    const response = context.switchToHttp().getResponse();
    response.setHeader('ratelimit-limit', String(this.perMinute));
    response.setHeader('ratelimit-remaining', String(Math.max(0, this.perMinute - count)));
    if (count > this.perMinute) {
      response.setHeader('retry-after', String(60 - Math.floor((Date.now() / 1000) % 60)));
      throw new DomainError(
        'RATE_LIMITED',
        `More than ${this.perMinute} requests in a minute; wait for the Retry-After seconds.`,
      );
    }
    return true;
  }
}
