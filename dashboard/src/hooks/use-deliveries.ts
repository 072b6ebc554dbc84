/** Webhook deliveries, newest first: the first page (reloadable) and older pages on request. */
import { useState } from 'preact/hooks'
import { answer } from '../api/client'
import type { DeliveriesResponse } from '../api/types'
import { useAction } from './use-action'
import { useApi } from './use-api'
import { useSite } from './use-site'

const PAGE = { limit: '50' }

export type Deliveries = ReturnType<typeof useDeliveries>

export function useDeliveries() {
  const { client } = useSite()
  const first = useApi(PAGE, (s, o) =>
    s.api.alerts.deliveries.$get({ param: s.param, query: PAGE }, o),
  )
  const [older, setOlder] = useState<DeliveriesResponse[]>([])
  const more = useAction<DeliveriesResponse>((page) => setOlder((o) => [...o, page]))
  const pages = first.data ? [first.data, ...older] : []
  const cursor = pages.at(-1)?.next_cursor ?? null
  return {
    first,
    rows: pages.flatMap((p) => p.deliveries),
    cursor,
    more,
    loadMore: () =>
      cursor &&
      more.run(() =>
        answer(
          client.api.alerts.deliveries.$get({ param: client.param, query: { ...PAGE, cursor } }),
        ),
      ),
    reload: () => {
      setOlder([])
      first.reload()
    },
  }
}
