import { deadlineOf, deadlineWording } from '@app/domain';
import { digestMessage, reminderMessage } from './reminder-messages';

/** Issue 14, item 5: the e-mails state a deadline as the console does, by its last day still on time. */
describe('reminder and digest wording', () => {
  const june = deadlineOf('2024-06');
  const unit = { code: 'U01', name: '郑州工业应用技术学院' };

  it('says 6月30日（含）前 in the reminder, never the first late instant', () => {
    const { text } = reminderMessage(unit, '2024-06', june);
    expect(deadlineWording(june)).toBe('6月30日（含）前');
    expect(text).toContain('报送截止：6月30日（含）前');
    expect(text).not.toMatch(/07-01|00:00|之前/);
  });

  it('says the same in the region digest', () => {
    const { text } = digestMessage({ code: 'R18', name: '济源示范区' }, '2024-06', june, [
      { code: 'R18-S1', name: '济源市第一职业中专', submittedAt: null },
    ]);
    expect(text).toContain('应于 6月30日（含）前报送');
    expect(text).not.toMatch(/07-01/);
  });
});
