"""The gateway's HTTP plumbing under every ``/{code}``: routing, dispatch and Xero-shaped error rendering."""
