"""The Cirro v2 API client: request tokens, transport with retries, paging, and the gig registry."""
