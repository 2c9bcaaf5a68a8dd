// The tenant's notification settings: reminder offsets, quiet hours and the staff address.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

export interface SettingsRow {
  reminderOffsetsSeconds: number[];
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  staffEmail: string | null;
  updatedAt: Date | null;
}

/** Reminders 24 hours and 2 hours before the start, until the clinic sets its own. */
export const DEFAULT_REMINDER_OFFSETS_SECONDS: readonly number[] = [24 * 3600, 2 * 3600];

const DEFAULTS: SettingsRow = {
  reminderOffsetsSeconds: [...DEFAULT_REMINDER_OFFSETS_SECONDS],
  quietHoursStart: null,
  quietHoursEnd: null,
  staffEmail: null,
  updatedAt: null,
};

@Injectable()
export class SettingsRepository {
  async settings(em: EntityManager, tenant: string): Promise<SettingsRow> {
    const [row] = await em.execute(`select * from settings where tenant = ?`, [tenant]);
    if (!row) return DEFAULTS;
    return {
      reminderOffsetsSeconds: row.reminder_offsets_seconds,
      quietHoursStart: row.quiet_hours_start,
      quietHoursEnd: row.quiet_hours_end,
      staffEmail: row.staff_email,
      updatedAt: new Date(row.updated_at),
    };
  }

  async set(em: EntityManager, tenant: string, settings: Omit<SettingsRow, 'updatedAt'>, by: string): Promise<void> {
    await em.execute(
      `insert into settings (tenant, reminder_offsets_seconds, quiet_hours_start, quiet_hours_end, staff_email,
         updated_at, updated_by)
       values (?, ?::integer[], ?, ?, ?, now(), ?)
       on conflict (tenant) do update set reminder_offsets_seconds = excluded.reminder_offsets_seconds,
         quiet_hours_start = excluded.quiet_hours_start, quiet_hours_end = excluded.quiet_hours_end,
         staff_email = excluded.staff_email, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [
        tenant,
        `{${settings.reminderOffsetsSeconds.join(',')}}`,
        settings.quietHoursStart,
        settings.quietHoursEnd,
        settings.staffEmail,
        by,
      ],
    );
  }
}
