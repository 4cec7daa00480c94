// Which hours a handoff queue is staffed.
import type { SupportDirectory } from '../../knowledge/directory';
import type { Hours } from '../../knowledge/directory/types';
import type { Category } from '../requests/requests';
import type { Organisation } from '../orgs/organisations';
import { queuePlan } from '../../dialogs/request-dialog';

/**
 * The hours a handoff queue is staffed: the organisation's line for the category when known (as for
 * requests); otherwise the cloud's own line, and round the clock for worldwide, whose online support
 * takes requests at any hour.
 */
export function queueHours(directory: SupportDirectory, queue: string, organisation?: Organisation): Hours {
  const [cloud, category] = queue.split(':') as [Organisation['cloud'], Category];
  if (organisation) return queuePlan(directory, organisation, category, 'B').hours;
  if (cloud === 'worldwide') return { kind: 'always' } as const;
  const stand = { cloud, country: cloud === '21vianet' ? 'CN' : 'DE' } as Organisation;
  return queuePlan(directory, stand, category, 'B').hours;
}
