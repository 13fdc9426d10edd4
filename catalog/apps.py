from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self) -> None:
        # The render sandbox's process settings (AKUA_RENDER_*): akua.packaging knows no
        # Django, so the app that publishes packages hands them over once per process.
        from django.conf import settings

        from akua.packaging.sandbox import Limits, configure

        configure(
            limits=Limits(**settings.RENDER_LIMITS),
            namespaces=settings.RENDER_NAMESPACES,
            warm_children=settings.RENDER_WARM_CHILDREN,
            renders_per_child=settings.RENDER_PER_CHILD,
        )
