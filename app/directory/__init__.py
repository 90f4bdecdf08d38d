"""The municipality's directory: group → role mappings applied at sign-in and provisioning."""
