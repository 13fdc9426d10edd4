"""Marketplace: products, listing pages, Stripe checkout and webhooks (not built yet)."""
