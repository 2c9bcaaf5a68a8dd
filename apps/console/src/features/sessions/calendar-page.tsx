// The calendar (FullCalendar's MIT time-grid views): a day or a week of sessions at their clinic-local times, by
// provider (the API's filter) or room. The calendar runs in "UTC" and is given wall-clock times, so what it shows is
// the clinic's clock whatever the browser's zone.
import { useMemo, useState } from 'react';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import arLocale from '@fullcalendar/core/locales/ar';
import type { DatesSetArg, EventClickArg } from '@fullcalendar/core';
import { Form, Space, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../../api/queries';
import { useDirectory } from '../../api/directory';
import { useLocale } from '../../i18n/locale';
import { clockPlus, nameIn } from '../../i18n/format';
import { ProblemAlert } from '../../ui/problem';
import { FilterSelect } from '../../ui/filter-select';
import { capacityOf } from './session-rules';

const ARABIC = { ...arLocale, code: 'ar-u-ca-gregory-nu-latn' };

export default function CalendarPage() {
  const { t, language, direction } = useLocale();
  const directory = useDirectory();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'day' ? 'timeGridDay' : 'timeGridWeek';
  const providerId = params.get('provider') ?? undefined;
  const roomId = params.get('room') ?? undefined;
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const sessions = useApi(
    'listSessions',
    { query: { providerId, from: range?.from, to: range?.to, pageSize: 100 } },
    { enabled: !!range },
  );
  const events = useMemo(
    () =>
      (sessions.data?.items ?? [])
        .filter((s) => !roomId || s.roomId === roomId)
        .map((s) => {
          const type = directory.serviceType.get(s.serviceTypeId);
          const name = nameIn(type, language) ?? s.sessionNumber;
          const capacity = capacityOf(s.currentCapacity, s.maxCapacity);
          return {
            id: s.id,
            title: `${name} · ${s.currentCapacity}/${s.maxCapacity}${capacity.full ? ` ${t('capacity.full')}` : ''}`,
            start: `${s.scheduledDate}T${s.scheduledTime}:00`,
            end: `${s.scheduledDate}T${clockPlus(s.scheduledTime, s.durationMinutes)}:00`,
            color: s.status === 'CANCELLED' ? '#bfbfbf' : capacity.full ? '#cf1322' : '#1677ff',
          };
        }),
    [sessions.data, roomId, directory, language, t],
  );

  function update(key: string, value: string | undefined) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  function datesSet(arg: DatesSetArg) {
    const from = arg.startStr.slice(0, 10);
    const end = new Date(arg.end.getTime() - 86400000).toISOString().slice(0, 10);
    setRange((r) => (r?.from === from && r.to === end ? r : { from, to: end }));
    const date = from;
    if (params.get('date') !== date || (arg.view.type === 'timeGridDay') !== (params.get('view') === 'day')) {
      const next = new URLSearchParams(params);
      next.set('date', date);
      next.set('view', arg.view.type === 'timeGridDay' ? 'day' : 'week');
      setParams(next, { replace: true });
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('sessions.calendarTitle')}
      </Typography.Title>
      <Form layout="inline">
        <FilterSelect
          id="calendar-provider"
          label={t('common.provider')}
          width={200}
          value={providerId}
          onChange={(v) => update('provider', v)}
          options={directory.providers.map((p) => ({ value: p.id, label: nameIn(p, language) }))}
        />
        <FilterSelect
          id="calendar-room"
          label={t('common.room')}
          width={200}
          value={roomId}
          onChange={(v) => update('room', v)}
          options={directory.rooms.map((r) => ({ value: r.id, label: nameIn(r, language) }))}
        />
      </Form>
      <ProblemAlert error={sessions.error} />
      <FullCalendar
        plugins={[timeGridPlugin]}
        initialView={view}
        initialDate={params.get('date') ?? undefined}
        timeZone="UTC"
        direction={direction}
        locale={language === 'ar' ? ARABIC : 'en-gb'}
        headerToolbar={{ start: 'prev,next today', center: 'title', end: 'timeGridDay,timeGridWeek' }}
        // Words, not FullCalendar's icon glyphs (which have no text alternative).
        buttonIcons={false}
        buttonText={{
          prev: t('sessions.previous'),
          next: t('sessions.next'),
          today: t('nav.today'),
          day: t('sessions.day'),
          week: t('sessions.week'),
        }}
        slotMinTime="07:00:00"
        slotMaxTime="22:00:00"
        allDaySlot={false}
        height="auto"
        events={events}
        datesSet={datesSet}
        eventClick={(arg: EventClickArg) => navigate(`/sessions/${arg.event.id}`)}
      />
    </Space>
  );
}
