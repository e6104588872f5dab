/**
 * Who may do what. Every write in the registry goes through `authorize(actor, action, target)`,
 * which throws a `forbidden` error naming the action when the actor may not. The rules:
 *
 * | role        | may                                                                              |
 * |-------------|----------------------------------------------------------------------------------|
 * | viewer      | read published records; manage their own account                                 |
 * | contributor | + create records, edit and submit their own drafts, express interest, post in     |
 * |             |   their organisation's threads                                                    |
 * | org_admin   | + edit, submit and archive any record of their organisation; edit the            |
 * |             |   organisation; add members and set their roles up to org_admin                   |
 * | moderator   | + see the moderation queue; publish or reject submitted records; archive any     |
 * | admin       | everything, including users' roles and creating organisations                    |
 */
import { PontisError } from '../core/errors.ts';
import { ROLES, type Role, type Status } from './model.ts';

export interface Actor {
  userId: string;
  role: Role;
  organisationId: string | null;
}

export type Action =
  | 'record.create'
  | 'record.edit'
  | 'record.submit'
  | 'record.withdraw'
  | 'record.publish'
  | 'record.reject'
  | 'record.archive'
  | 'record.read_unpublished'
  | 'moderation.queue'
  | 'organisation.create'
  | 'organisation.edit'
  | 'organisation.add_member'
  | 'user.set_role'
  | 'interest.express'
  | 'thread.post'
  | 'thread.partnership'
  | 'registry.import';

/** What an action is done to: a record's owner and status, an organisation, a role to give. */
export interface Target {
  organisationId?: string | null;
  createdBy?: string | null;
  status?: Status;
  /** For user.set_role / organisation.add_member: the role being given. */
  role?: Role;
}

const rank = (r: Role): number => ROLES.indexOf(r);
const atLeast = (a: Actor, r: Role): boolean => rank(a.role) >= rank(r);
const sameOrg = (a: Actor, t: Target): boolean =>
  a.organisationId !== null && t.organisationId !== undefined && t.organisationId === a.organisationId;
const own = (a: Actor, t: Target): boolean => t.createdBy === a.userId;

export function can(a: Actor | null, action: Action, t: Target = {}): boolean {
  if (!a) return false;
  if (a.role === 'admin') return true;
  switch (action) {
    case 'record.create':
      return atLeast(a, 'contributor');
    case 'record.edit':
    case 'record.submit':
    case 'record.withdraw':
      if (t.status === 'published' || t.status === 'archived') return false;
      if (a.role === 'contributor') return own(a, t);
      if (a.role === 'org_admin') return own(a, t) || sameOrg(a, t);
      if (a.role === 'moderator') return own(a, t);
      return false;
    case 'record.publish':
    case 'record.reject':
    case 'moderation.queue':
      return a.role === 'moderator';
    case 'record.archive':
      if (a.role === 'moderator') return true;
      if (a.role === 'org_admin') return own(a, t) || sameOrg(a, t);
      if (a.role === 'contributor') return own(a, t) && t.status !== 'published';
      return false;
    case 'record.read_unpublished':
      if (a.role === 'moderator') return true;
      return own(a, t) || (atLeast(a, 'contributor') && sameOrg(a, t));
    case 'organisation.create':
      return false;
    case 'organisation.edit':
      return a.role === 'org_admin' && sameOrg(a, t);
    case 'organisation.add_member':
      return (
        a.role === 'org_admin' && sameOrg(a, t) && (t.role === undefined || rank(t.role) <= rank('org_admin'))
      );
    case 'user.set_role':
      return false;
    case 'interest.express':
      return atLeast(a, 'contributor') && a.organisationId !== null && a.role !== 'moderator';
    case 'thread.post':
    case 'thread.partnership':
      return atLeast(a, 'contributor') && sameOrg(a, t);
    case 'registry.import':
      return false;
  }
}

export function authorize(a: Actor | null, action: Action, t: Target = {}): void {
  if (!can(a, action, t))
    throw new PontisError(
      a ? 'forbidden' : 'unauthenticated',
      a ? `not allowed: ${action} (role ${a.role})` : `sign in to ${action}`,
      { field: action },
    );
}
