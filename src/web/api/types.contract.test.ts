import type { Static } from 'typebox';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  BrowseResponse,
  PublicDepartmentsResponse,
  PublicProfileSchema,
  RecordDetailSchema,
  RecordHeadSchema,
} from '../../server/modules/records/records.schemas';
import type { SearchResponse } from '../../server/modules/subjects/subjects.schemas';
import type {
  DisclosedRecord,
  PublicDepartments,
  RecordDetail,
  RecordHead,
  SearchResult,
  WireProfile,
} from './types';

/**
 * The web app's response types are written by hand (types.ts); these assertions hold them to the
 * server's route schemas: whatever a route may send must be assignable to what the pages read. They
 * are checked by the type checker (`npm run check`), so a schema change that breaks a page fails the
 * test command before any browser runs.
 */
describe('web response types against the server schemas', () => {
  it('public answers', () => {
    expectTypeOf<Static<typeof PublicProfileSchema>>().toExtend<WireProfile>();
    expectTypeOf<Static<typeof SearchResponse>>().toExtend<SearchResult>();
    expectTypeOf<Static<typeof BrowseResponse>['items'][number]>().toExtend<DisclosedRecord>();
    expectTypeOf<Static<typeof PublicDepartmentsResponse>>().toExtend<PublicDepartments>();
  });

  it('department answers', () => {
    expectTypeOf<Static<typeof RecordHeadSchema>>().toExtend<RecordHead>();
    expectTypeOf<Static<typeof RecordDetailSchema>>().toExtend<RecordDetail>();
  });
});
