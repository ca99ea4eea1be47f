"""Services a lower app asks for and an upper app provides, so that dependencies keep pointing
one way (DESIGN.md): people and justice ask for the blocking keys of a record to be kept up to
date and for the candidates of a record being entered; linkage provides both when it is
installed (its AppConfig.ready). Without a provider, ``call`` returns ``default``."""

_providers = {}


def provide(name, function):
    _providers[name] = function


def call(name, *args, default=None, **kwargs):
    function = _providers.get(name)
    return default if function is None else function(*args, **kwargs)
