"""``python -m bestehorn_llmmanager.cli`` runs the bedrock-catalog command."""

import sys

from . import main

sys.exit(main())
