"""Helpers for the Content-Security-Policy, which allows no inline script without a nonce."""


class ImportMapNonceMiddleware:
    """Give the rich-text editor's inline import map the request's CSP nonce.

    Browsers only read import maps written inline, and the editor's widget writes its own
    without a nonce; its content is the library's list of module paths, not user input.
    """

    OPENING = b'<script type="importmap">'

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and self.OPENING in response.content
        ):
            tagged = f'<script type="importmap" nonce="{request.csp_nonce}">'.encode()
            response.content = response.content.replace(self.OPENING, tagged)
        return response
