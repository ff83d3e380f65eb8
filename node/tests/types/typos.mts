// The usual typos of a service author: each must fail `tsc --strict` (issue 25). Never run;
// every line below a @ts-expect-error must not compile, or tsc reports the unused directive.
import { Client, type TrafficEvent } from 'scaleway_partner'

export async function typos(client: Client): Promise<void> {
  // @ts-expect-error not a status
  client.listOrganizations({ status: 'lockedd' })
  // @ts-expect-error not an order (created_at_asc)
  client.listOrganizations({ orderBy: 'created_asc' })
  // @ts-expect-error not a lock holder
  client.listOrganizations({ lockedBy: 'partnr' })
  // @ts-expect-error not a traffic event
  const retried = (e: TrafficEvent) => e.event === 'retyr'
  void retried
  // The right values still compile, the enum names included.
  client.listOrganizations({ status: 'locked', orderBy: 'created_at_desc', lockedBy: 'partner' })
  client.listOrganizations({ status: 'unknown_status', lockedBy: 'unknown_locked_by' })
  const answered = (e: TrafficEvent) => e.event === 'response'
  void answered
}
