// The tenant's notification settings, read and set by its admin.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { NotificationSettings, NotificationSettingsBody } from '@agdar/contracts';
import { AuthUser, WritePath } from '@agdar/service-kit';
import { FactsRepository } from '../facts/facts.repository';
import { SettingsRepository, SettingsRow } from './settings.repository';

@Injectable()
export class SettingsService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly facts: FactsRepository,
    private readonly writes: WritePath,
    private readonly orm: MikroORM,
  ) {}

  async get(user: AuthUser): Promise<NotificationSettingsBody> {
    const em = this.orm.em.fork() as EntityManager;
    return this.bodyOf(em, user.tenant, await this.settings.settings(em, user.tenant));
  }

  async set(user: AuthUser, input: NotificationSettings): Promise<NotificationSettingsBody> {
    return this.writes.run(user, async ({ em }) => {
      const reminderOffsetsSeconds = input.reminderOffsetsMinutes.map((m) => Math.round(m * 60)).sort((a, b) => b - a);
      await this.settings.set(em, user.tenant, { ...input, reminderOffsetsSeconds }, user.sub);
      return this.bodyOf(em, user.tenant, await this.settings.settings(em, user.tenant));
    });
  }

  private async bodyOf(em: EntityManager, tenant: string, row: SettingsRow): Promise<NotificationSettingsBody> {
    const facts = await this.facts.tenant(em, tenant);
    return {
      reminderOffsetsMinutes: row.reminderOffsetsSeconds.map((s) => s / 60),
      quietHoursStart: row.quietHoursStart,
      quietHoursEnd: row.quietHoursEnd,
      staffEmail: row.staffEmail,
      timezone: facts?.timezone ?? 'UTC',
      updatedAt: row.updatedAt?.toISOString() ?? null,
    };
  }
}
