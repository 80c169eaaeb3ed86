"""A test RSA key pair, written as PEM files the way an app's keys would be."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes
    public_pem: bytes

    def write(self, directory: Path) -> tuple[Path, Path]:
        private, public = directory / "app.pem", directory / "app.pub.pem"
        private.write_bytes(self.private_pem)
        os.chmod(private, 0o600)
        public.write_bytes(self.public_pem)
        return private, public


@cache
def key_pair(label: str = "app") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return KeyPair(private, public)
