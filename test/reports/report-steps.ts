import type { Harness } from '../support/app';

export type Figures = { training: number; certified: number; advanced: number; onePlusX: number };

export const reportUrl = (unit: string, period: string) => `/api/v1/units/${unit}/reports/${period}`;

/** HTTP steps of the approval chain; each reads the report first and sends its ETag as If-Match. */
export function reportSteps(h: Harness) {
  const etag = async (token: string, unit: string, period: string) => {
    const res = await h.as(token).get(reportUrl(unit, period));
    if (res.status !== 200)
      throw new Error(`GET ${unit} ${period}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.headers.etag as string;
  };
  const steps = {
    etag,
    enter: async (token: string, unit: string, period: string, figures: Figures, note?: string) =>
      h
        .as(token)
        .put(reportUrl(unit, period))
        .set('If-Match', await etag(token, unit, period))
        .send(note === undefined ? { figures } : { figures, note }),
    sign: async (token: string, unit: string, period: string, name: string, phone?: string) =>
      h
        .as(token)
        .post(`${reportUrl(unit, period)}/signatures`)
        .set('If-Match', await etag(token, unit, period))
        .send(phone === undefined ? { name } : { name, phone }),
    review: async (
      token: string,
      unit: string,
      period: string,
      decision: 'accept' | 'return',
      reason?: string,
    ) =>
      h
        .as(token)
        .post(`${reportUrl(unit, period)}/review`)
        .set('If-Match', await etag(token, unit, period))
        .send(reason === undefined ? { decision } : { decision, reason }),
    amend: async (token: string, unit: string, period: string, figures: Figures, reason: string) =>
      h
        .as(token)
        .post(`${reportUrl(unit, period)}/amendments`)
        .set('If-Match', await etag(token, unit, period))
        .send({ figures, reason }),
    /** Enter, both signatures and acceptance; throws on any step that is not 200. */
    async official(
      people: { filler: string; leader: string; reviewer: string },
      unit: string,
      period: string,
      figures: Figures,
    ) {
      const results = [
        await steps.enter(people.filler, unit, period, figures),
        await steps.sign(people.filler, unit, period, '张三', '0371-69691788'),
        await steps.sign(people.leader, unit, period, '李四'),
        await steps.review(people.reviewer, unit, period, 'accept'),
      ];
      const failed = results.find((r) => r.status !== 200);
      if (failed) throw new Error(`${unit} ${period}: ${failed.status} ${JSON.stringify(failed.body)}`);
      return results[3];
    },
  };
  return steps;
}

/** A unit's filler and leader (users `<prefix>-filler` and `<prefix>-leader`) and who reviews its reports. */
export async function unitPeople(h: Harness, prefix: string, unit: string, reviewer: string) {
  return {
    filler: await h.user(`${prefix}-filler`, 'filler', unit),
    leader: await h.user(`${prefix}-leader`, 'leader', unit),
    reviewer,
  };
}

export async function eventCount(h: Harness): Promise<number> {
  const [{ count }] = await h.db.query<{ count: number }>('SELECT count(*)::int AS count FROM events');
  return count;
}
