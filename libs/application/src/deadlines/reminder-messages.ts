import { deadlineWording, shanghaiDate } from '@app/domain';
import type { Message } from './reminder-channels';

/** Shanghai wall-clock, which is how the notice states deadlines ("每月 30 日前"). */
const wall = (instant: Date) => {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return `${shanghaiDate(instant)} ${String(shifted.getUTCHours()).padStart(2, '0')}:${String(shifted.getUTCMinutes()).padStart(2, '0')}`;
};

const monthLabel = (period: string) => `${period.slice(0, 4)} 年 ${Number(period.slice(5, 7))} 月`;

export function reminderMessage(
  unit: { code: string; name: string },
  period: string,
  deadline: Date,
): Message {
  return {
    subject: `【提醒】${unit.name} ${monthLabel(period)}技能人才培养月报尚未报送`,
    text: [
      `${unit.name}（${unit.code}）：`,
      `${monthLabel(period)}的“人人持证、技能河南”月报尚未报送（填报人签字并经领导小组组长签字后即为报送）。`,
      `报送截止：${deadlineWording(deadline)}；逾期未报将被记为缺报。`,
    ].join('\n'),
  };
}

export interface LateSchool {
  code: string;
  name: string;
  submittedAt: Date | null;
}

export function digestMessage(
  region: { code: string; name: string },
  period: string,
  deadline: Date,
  schools: LateSchool[],
): Message {
  const lines = schools.map((s) =>
    s.submittedAt
      ? `- ${s.name}（${s.code}）：逾期报送，${wall(s.submittedAt)}`
      : `- ${s.name}（${s.code}）：截至目前未报送`,
  );
  return {
    subject: `【汇总】${region.name} ${monthLabel(period)}月报逾期学校 ${schools.length} 所`,
    text: [
      `${region.name}（${region.code}）：`,
      `${monthLabel(period)}月报应于 ${deadlineWording(deadline)}报送，已截止，以下所属学校未按时报送：`,
      ...lines,
    ].join('\n'),
  };
}
