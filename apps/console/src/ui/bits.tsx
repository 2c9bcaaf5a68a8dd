// Small pieces every screen uses: the capacity badge, status chips, names in the chosen script.
import type { ReactNode } from 'react';
import { Progress, Space, Tag, Typography } from 'antd';
import type { InvoiceStatus, ParticipantStatus, SessionStatus } from '@agdar/contracts/browser';
import { useLocale } from '../i18n/locale';
import { bilingualName } from '../i18n/format';
import { capacityOf } from '../features/sessions/session-rules';

/**
 * Chip colours: Ant Design's tag palette, with its darkest readable shade for the text so every chip meets WCAG AA
 * contrast (the preset tags' text does not, on their tinted backgrounds).
 */
const TONES = {
  blue: { color: '#003eb3', background: '#e6f4ff', borderColor: '#91caff' },
  geekblue: { color: '#10239e', background: '#f0f5ff', borderColor: '#adc6ff' },
  cyan: { color: '#006d75', background: '#e6fffb', borderColor: '#87e8de' },
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  gold: { color: '#874d00', background: '#fffbe6', borderColor: '#ffe58f' },
  orange: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  volcano: { color: '#871400', background: '#fff2e8', borderColor: '#ffbb96' },
  red: { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' },
  purple: { color: '#22075e', background: '#f9f0ff', borderColor: '#d3adf7' },
  grey: { color: 'rgba(0, 0, 0, 0.88)', background: '#f5f5f5', borderColor: '#d9d9d9' },
} as const;
export type Tone = keyof typeof TONES;

export function Chip({
  tone,
  children,
  ...rest
}: { tone: Tone; children: ReactNode } & Record<`data-${string}`, string>) {
  return (
    <Tag style={{ ...TONES[tone], marginInlineEnd: 0 }} {...rest}>
      {children}
    </Tag>
  );
}

export function CapacityBadge({ current, max }: { current: number; max: number }) {
  const { t } = useLocale();
  const capacity = capacityOf(current, max);
  return (
    <Space
      size={6}
      data-testid="capacity"
      aria-label={t('capacity.label', { current, max, percent: capacity.percent })}
    >
      <Chip tone={capacity.full ? 'red' : capacity.percent >= 75 ? 'orange' : 'green'}>
        {t('capacity.badge', { current, max })}
        {capacity.full ? ` · ${t('capacity.full')}` : ''}
      </Chip>
      <Progress
        percent={capacity.percent}
        size={[72, 8]}
        showInfo={false}
        status={capacity.full ? 'exception' : 'normal'}
        aria-hidden
      />
      <Typography.Text type="secondary">{capacity.percent}%</Typography.Text>
    </Space>
  );
}

const SESSION_COLORS: Record<SessionStatus, Tone> = {
  SCHEDULED: 'blue',
  IN_PROGRESS: 'gold',
  COMPLETED: 'green',
  CANCELLED: 'grey',
};
const PARTICIPANT_COLORS: Record<ParticipantStatus, Tone> = {
  BOOKED: 'blue',
  CONFIRMED: 'geekblue',
  ARRIVED: 'cyan',
  ATTENDED: 'green',
  NO_SHOW: 'volcano',
  CANCELLED: 'grey',
};
const INVOICE_COLORS: Record<InvoiceStatus, Tone> = {
  DRAFT: 'grey',
  ISSUED: 'blue',
  PARTIALLY_PAID: 'orange',
  PAID: 'green',
  WAIVED: 'purple',
  CREDITED: 'cyan',
  VOID: 'grey',
};

export function SessionStatusTag({ status }: { status: SessionStatus }) {
  const { t } = useLocale();
  return (
    <Chip tone={SESSION_COLORS[status]} data-testid="session-status" data-status={status}>
      {t(`sessionStatus.${status}`)}
    </Chip>
  );
}

export function ParticipantStatusTag({ status }: { status: ParticipantStatus }) {
  const { t } = useLocale();
  return (
    <Chip tone={PARTICIPANT_COLORS[status]} data-testid="participant-status" data-status={status}>
      {t(`participantStatus.${status}`)}
    </Chip>
  );
}

export function InvoiceStatusTag({ status }: { status: InvoiceStatus }) {
  const { t } = useLocale();
  return (
    <Chip tone={INVOICE_COLORS[status]} data-testid="invoice-status" data-status={status}>
      {t(`invoiceStatus.${status}`)}
    </Chip>
  );
}

/** A name in the chosen script, the other script after it as a hint, each marked with its own language. */
export function BilingualName({ en, ar }: { en: string; ar: string | null }) {
  const { language } = useLocale();
  const name = bilingualName(en, ar, language);
  const hintLanguage = language === 'ar' ? 'en' : 'ar';
  return (
    <span>
      <bdi lang={ar && language === 'ar' ? 'ar' : 'en'}>{name.primary}</bdi>
      {name.hint && (
        <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: '0.85em' }}>
          <bdi lang={hintLanguage}>{name.hint}</bdi>
        </Typography.Text>
      )}
    </span>
  );
}
