"""The cases, one module per area; importing this package registers them all."""

from . import greeting  # noqa: F401
from . import framing  # noqa: F401
from . import metadata  # noqa: F401
from . import commands  # noqa: F401
from . import heartbeat  # noqa: F401
from . import sockets  # noqa: F401
from . import robustness  # noqa: F401
from . import subscriptions  # noqa: F401
from . import handshake  # noqa: F401
from . import zmtp30  # noqa: F401
from . import zmtp20  # noqa: F401
from . import mdp_broker  # noqa: F401
from . import mdp_broker_heartbeat  # noqa: F401
from . import mdp_broker_disconnect  # noqa: F401
from . import mdp_broker_hostile  # noqa: F401

# what the package registers, named so that pyflakes sees the imports used
__all__ = ["greeting", "framing", "metadata", "commands", "heartbeat", "sockets", "robustness",
           "subscriptions", "handshake", "zmtp30", "zmtp20", "mdp_broker",
           "mdp_broker_heartbeat", "mdp_broker_disconnect", "mdp_broker_hostile"]

# the worker and the client under test, the suite playing the broker (suitebroker.py)
from . import mdp_worker  # noqa: F401,E402
__all__ += ["mdp_worker"]
from . import mdp_client  # noqa: F401,E402
__all__ += ["mdp_client"]
# the Freelance server under test, the suite playing clients (freelance.py)
from . import flp_server  # noqa: F401,E402
from . import flp_server_hostile  # noqa: F401,E402
__all__ += ["flp_server", "flp_server_hostile"]
# the Freelance client under test, the suite playing its servers (suiteserver.py)
from . import flp_client  # noqa: F401,E402
__all__ += ["flp_client"]
# PLAIN, CURVE and ZAP (24, 25/26, 27), the implementation as server and as client
# (security.py), and the known mechanism CVEs on the robustness axis
from . import plain  # noqa: F401,E402
from . import curve  # noqa: F401,E402
from . import zap  # noqa: F401,E402
from . import security_cves  # noqa: F401,E402
__all__ += ["plain", "curve", "zap", "security_cves"]
