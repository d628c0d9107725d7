// The notification calls: the caller's inbox and preferences, the administrator's outbox.
import { api } from '../../api/client';
import type { InboxPage, NotificationPreferences, OutboxMail, OutboxView } from '../../api/schema.gen';

export const PAGE_SIZE = 20;

export function inbox(page: number, unread: boolean, signal?: AbortSignal): Promise<InboxPage> {
  return api.call<InboxPage>('GET /api/v1/me/notifications', { query: { page, page_size: PAGE_SIZE, unread: unread || undefined }, signal });
}

export async function unreadCount(signal?: AbortSignal): Promise<number> {
  const r = await api.call<{ unread: number }>('GET /api/v1/me/notifications/unread-count', { signal });
  return r.unread;
}

export function markRead(id: string): Promise<unknown> {
  return api.call('POST /api/v1/me/notifications/:id/read', { params: { id } });
}

export function markAllRead(): Promise<unknown> {
  return api.call('POST /api/v1/me/notifications/read-all');
}

export function preferences(signal?: AbortSignal): Promise<NotificationPreferences> {
  return api.call<NotificationPreferences>('GET /api/v1/me/notification-preferences', { signal });
}

export function savePreferences(p: NotificationPreferences): Promise<NotificationPreferences> {
  return api.call<NotificationPreferences>('PUT /api/v1/me/notification-preferences', { body: { email: p.email, digest: p.digest, version: p.version } });
}

export function outbox(page: number, state: string, signal?: AbortSignal): Promise<OutboxView> {
  return api.call<OutboxView>('GET /api/v1/notifications/outbox', { query: { page, page_size: PAGE_SIZE, state: state || undefined }, signal });
}

export function resend(id: string): Promise<OutboxMail> {
  return api.call<OutboxMail>('POST /api/v1/notifications/outbox/:id/resend', { params: { id } });
}

/** An in-app link: the path to navigate to and the cycle it belongs to (the "ciclo" query parameter), if any. */
export function splitLink(link: string): { path: string; cycle: string | null } {
  const [path, query = ''] = link.split('?', 2);
  return { path: path || '/', cycle: new URLSearchParams(query).get('ciclo') };
}
