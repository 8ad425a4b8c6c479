"""How an attachment's upload is received: in memory, up to the size limit, never on disk.

Django spools uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary
file in clear. The attachment view installs this handler instead (for its own
requests only: other uploads, such as data imports, keep Django's handlers), so
that a document is held in memory until it is encrypted, and a file over
BRIK_ATTACHMENT_MAX_MB is dropped as it arrives rather than kept.
"""

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

TOO_LARGE = "brik_upload_too_large"


class AttachmentUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.buffer = BytesIO()
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.too_large = False
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        if self.too_large:
            return None
        if self.buffer.tell() + len(raw_data) > self.limit:
            self.too_large = True
            self.buffer = BytesIO()
            if self.request is not None:
                setattr(self.request, TOO_LARGE, True)
            return None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.too_large:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
