// The `venue` query parameter shared by the market-data routes.
import * as v from 'valibot'
import { invalidParameter } from '../server/errors.ts'
import { VENUE_IDS, type Venue, type VenueId, type Venues } from '../server/venues.ts'

export const VenueParam = v.picklist(VENUE_IDS, `expected one of ${VENUE_IDS.join(', ')}`)

export function pickVenue(venues: Venues, id: VenueId): Venue {
  const venue = venues.get(id)
  if (!venue) throw invalidParameter('venue', `${id} is not configured in this edge`)
  return venue
}
